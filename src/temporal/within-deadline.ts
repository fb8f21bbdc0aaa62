import type { Client } from '@temporalio/client';
import { CommandDeadlineExceeded, translateCommandErrors } from '../transitions/command-errors';

/** How long a caller waits for a command or a create: past it, 503. */
export const COMMAND_DEADLINE_MS = 10_000;

/**
 * A command still queued in its workflow this long after the request is refused there (see
 * CommandActor.notAfter). With the append's own bound (5 s) whatever is recorded is recorded
 * before the caller's deadline.
 */
export const COMMAND_START_WITHIN_MS = 3_000;

/**
 * Runs a call to Temporal within the caller's deadline, its errors as HTTP answers (`subject`
 * names the workflow in them). The client's own retries may sleep past a gRPC deadline, so the
 * answer is also bounded here: at the deadline the caller gets 503.
 */
export function withinDeadline<T>(
  temporal: Client,
  call: () => Promise<T>,
  deadlineMs = COMMAND_DEADLINE_MS,
  subject = 'the handover',
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CommandDeadlineExceeded()), deadlineMs + 250);
  });
  const answered = translateCommandErrors(() => temporal.withDeadline(deadline, call), subject);
  answered.catch(() => undefined); // answered after the deadline: the caller has had its 503
  return Promise.race([translateCommandErrors(() => late, subject), answered]).finally(() => clearTimeout(timer));
}
