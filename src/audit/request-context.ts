import { randomUUID } from 'node:crypto';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The caller's X-Correlation-Id when it is a UUID (ties our events to their records), else a new one. */
export function correlationIdFrom(header: string | undefined): string {
  return header && UUID.test(header) ? header.toLowerCase() : randomUUID();
}
