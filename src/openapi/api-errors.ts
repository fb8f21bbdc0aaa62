import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from './error.response';

/** The refusals and failures an operation documents, each with the error body. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 503;

const DEFAULT_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'A field, query value or path parameter breaks a rule (named, the value never repeated); nothing is recorded',
  401: 'No bearer token, or not a valid one',
  403: 'Not your role, municipality or organisation; nothing is recorded',
  404: 'No such handover, task or milestone; nothing is recorded',
  409: 'The rule no longer holds (done already, met already, cancelled, moved first, exists already); nothing is recorded',
  410: 'Gone for good: erased',
  413: 'The body is too large',
  415: 'The body is not JSON (send Content-Type: application/json)',
  429: 'Too many failed authentications from this client; try again after Retry-After seconds',
  503: 'The handover did not answer within its deadline (10 s); nothing is recorded; a repeat of a command that did go through gets 409',
};

/** Every route behind the bearer token: no or a bad token, too many failed tries. */
export const AUTHENTICATED: ErrorStatus[] = [401, 429];
/** Every command (a POST with a JSON body) beyond the authenticated set. */
export const COMMAND: ErrorStatus[] = [400, 401, 403, 404, 409, 413, 415, 429, 503];

/**
 * Documents error answers with the error body: `ApiErrors([401, 429], { 404: 'No such task' })`.
 * A description given for a status overrides the default one (and adds the status).
 */
export function ApiErrors(statuses: ErrorStatus[], descriptions: Partial<Record<ErrorStatus, string>> = {}) {
  const all = [...new Set([...statuses, ...(Object.keys(descriptions).map(Number) as ErrorStatus[])])].sort();
  return applyDecorators(
    ...all.map((status) =>
      ApiResponse({
        status,
        description: descriptions[status] ?? DEFAULT_DESCRIPTIONS[status],
        type: ErrorResponse,
        ...(status === 429
          ? {
              headers: {
                'Retry-After': {
                  description: 'Seconds to wait before trying again',
                  required: true,
                  schema: { type: 'integer', minimum: 0 },
                },
              },
            }
          : {}),
      }),
    ),
  );
}
