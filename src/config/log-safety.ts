/**
 * What may reach a log line. Logs hold codes, ids, routes, statuses and our own messages: never
 * a value a caller sent, a statement's parameters, a database's detail, or a workflow's input.
 * Applied to every log call (pino's logMethod hook) and by the error serialisers.
 */

/**
 * Properties dropped wherever they appear in a logged object or error: statement text and
 * parameters and the driver's detail (TypeORM's QueryFailedError, node-postgres' DatabaseError),
 * activity and workflow input (Temporal), and request parts that hold what a caller sent.
 */
export const DROPPED_PROPERTIES: ReadonlySet<string> = new Set([
  // TypeORM / node-postgres
  'parameters',
  'query',
  'driverError',
  'detail',
  'where',
  'hint',
  'internalQuery',
  'internalPosition',
  'position',
  // Temporal: input, details and raw failures (with their payloads)
  'args',
  'arguments',
  'input',
  'payload',
  'payloads',
  'details',
  'heartbeatDetails',
  'lastHeartbeatDetails',
  'failure',
  'result',
  // HTTP
  'body',
  'rawBody',
  'headers',
  'rawHeaders',
  'cookies',
  'authorization',
  'params',
  'url',
  'originalUrl',
  // free text of the domain
  'note',
  'reason',
]);

const MAX_DEPTH = 6;
const MAX_ITEMS = 50;
const MAX_CAUSES = 4;

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/** SQLSTATE of a database error (QueryFailedError, or the driver's own error), else undefined. */
function sqlStateOf(error: Record<string, unknown>): string | undefined {
  const driver = error.driverError as Record<string, unknown> | undefined;
  for (const code of [error.code, driver?.code]) {
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** A database's message can quote the data ("invalid input value …: \"<value>\""): only its SQLSTATE is kept. */
function isDatabaseError(error: Record<string, unknown>): boolean {
  const type = String(error.name ?? error.type ?? '');
  return (
    type === 'QueryFailedError' ||
    type === 'DatabaseError' ||
    'driverError' in error ||
    (sqlStateOf(error) !== undefined && ('severity' in error || 'routine' in error))
  );
}

export interface SafeError {
  type: string;
  message: string;
  code?: string | number;
  stack?: string;
  cause?: SafeError;
}

/**
 * An error (or an error already serialised to a plain object) as a log may show it: its type,
 * message, code and stack, and its cause likewise. A database error keeps its SQLSTATE instead
 * of its message (the first line of its stack too); every other property is left out.
 */
export function safeError(error: unknown, causes = 0): SafeError | unknown {
  if (!(error instanceof Error) && !isPlainObject(error)) return error;
  const source = error as unknown as Record<string, unknown>;
  const type = String(source.name && source.name !== 'Error' ? source.name : (source.type ?? (error as object).constructor?.name ?? 'Error'));
  const database = isDatabaseError(source);
  const sqlState = sqlStateOf(source);
  const message = database ? `database error${sqlState ? ` (SQLSTATE ${sqlState})` : ''}` : String(source.message ?? '');
  const safe: SafeError = { type, message };
  const code = database ? sqlState : source.code;
  if (typeof code === 'string' || typeof code === 'number') safe.code = code;
  if (typeof source.stack === 'string') {
    const frames = source.stack.indexOf('\n    at ');
    safe.stack = database ? `${type}: ${message}${frames === -1 ? '' : source.stack.slice(frames)}` : source.stack;
  }
  if (source.cause !== undefined && causes < MAX_CAUSES) safe.cause = safeError(source.cause, causes + 1) as SafeError;
  return safe;
}

/** The message a log line gets for an error logged without one. */
export const safeErrorMessage = (error: Error) => (safeError(error) as SafeError).message;

/**
 * A value as a log may show it: errors through safeError, plain objects, arrays and objects
 * with a JSON form copied without DROPPED_PROPERTIES (to a bounded depth and length). Other
 * objects (a request, a response) are left to the logger's serialisers.
 */
export function safeForLog(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return safeError(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => safeForLog(item, depth + 1));
  if (!isPlainObject(value)) {
    // A message object (Temporal's protobuf messages: an activity task with its input, an
    // activation with an update's input) is logged as its JSON form: copy that instead.
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
      return safeForLog(toJSON.call(value), depth);
    }
    return value;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (DROPPED_PROPERTIES.has(key)) continue;
    copy[key] = key === 'err' || key === 'error' ? safeError(value[key]) : safeForLog(value[key], depth + 1);
  }
  return copy;
}

/** A log call's arguments, made safe: `log.error(err)`, `log.warn({ error, ... }, 'msg')`, `log.info('msg')`. */
export function safeLogArguments<T extends unknown[]>(args: T): T {
  const [first, ...rest] = args;
  if (first instanceof Error) {
    return [{ err: safeError(first) }, ...(rest.length > 0 ? rest : [safeErrorMessage(first)])] as unknown as T;
  }
  if (typeof first === 'object' && first !== null) return [safeForLog(first), ...rest] as unknown as T;
  return args;
}
