/**
 * A whole number from the environment variable `name` (or `fallback` when it is not set), from
 * `least` to `most`; anything else stops the benchmark with the rule it broke.
 */
export function intFromEnv(name: string, fallback: number, least = 1, most = Number.MAX_SAFE_INTEGER): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < least || value > most) {
    throw new Error(`${name} must be a whole number from ${least}${most === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${most}`}`);
  }
  return value;
}
