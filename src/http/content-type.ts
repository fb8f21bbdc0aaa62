/** Methods that carry a command: their body must be JSON. */
export const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const CONTENT_TYPE_RULE = 'Content-Type must be application/json (charset utf-8, if named) for a request with a body';

/**
 * Whether a request carries a body, as HTTP frames it: a Transfer-Encoding, or a Content-Length
 * other than 0. A command without one needs no Content-Type and is read as `{}`.
 */
export function hasBody(headers: { 'transfer-encoding'?: string; 'content-length'?: string }): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

/**
 * Whether a Content-Type header names JSON as this service reads it: `application/json`, in
 * any case, with at most a `charset=utf-8` parameter. A command with a body, or with any
 * Content-Type at all, is refused before the body is read unless this holds.
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...parameters] = header.split(';');
  if (type.trim().toLowerCase() !== 'application/json') return false;
  return parameters.every((parameter) => {
    const equals = parameter.indexOf('=');
    if (equals === -1) return parameter.trim() === '';
    const name = parameter.slice(0, equals).trim().toLowerCase();
    const value = parameter.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    return name === 'charset' && value === 'utf-8';
  });
}

export const FORM_CONTENT_TYPE_RULE = 'Content-Type must be application/x-www-form-urlencoded (a form of a web page)';

/** Whether a Content-Type header names an HTML form's encoding (the web pages' POSTs), in any case, with any parameters. */
export function isFormContentType(header: string | undefined): boolean {
  return header?.split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}
