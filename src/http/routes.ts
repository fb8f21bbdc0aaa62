/** The parts of an Express router layer this module reads (router 2.x). */
interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  match(path: string): unknown;
}

/** A route taking this many methods is a catch-all, not an endpoint (ours take one each). */
const EVERY_METHOD = 20;

/**
 * The methods the application's routes answer at `path` (HEAD wherever GET is), in a stable
 * order; empty when no route has this path. Read from Express's router, so it knows every route
 * Nest and Swagger registered, and nothing else.
 */
export function allowedMethods(app: object, path: string): string[] {
  const methods = new Set<string>();
  const stack = (app as { router?: { stack?: RouterLayer[] } }).router?.stack ?? [];
  for (const layer of stack) {
    if (!layer.route) continue;
    const routeMethods = Object.keys(layer.route.methods);
    // Nest mounts middleware bound to every route (the request logger) as routes taking every
    // method; they answer nothing, so they say nothing about what a path allows.
    if (routeMethods.includes('_all') || routeMethods.length >= EVERY_METHOD) continue;
    let matched: unknown;
    try {
      matched = layer.match(path);
    } catch {
      continue; // a parameter that does not decode: not this route's business here
    }
    if (!matched) continue;
    for (const method of routeMethods) methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  const order = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
  return [...methods].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
}
