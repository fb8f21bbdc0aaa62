import type { Client } from '@temporalio/client';
import { currentRequest } from '../http/request-lifecycle';
import { CommandDeadlineExceeded, translateCommandErrors } from '../transitions/command-errors';

/** How long a caller waits for a command, a create or a query outside a request (a request has its own, REQUEST_DEADLINE_MS): past it, 503. */
export const COMMAND_DEADLINE_MS = 10_000;

/**
 * A command still queued in its workflow this long after the request is refused there (see
 * CommandActor.notAfter). With the append's own bound (5 s) whatever is recorded is recorded
 * before the caller's deadline.
 */
export const COMMAND_START_WITHIN_MS = 3_000;

/**
 * Every Temporal call made through withinDeadline that has not settled yet, with the controller
 * that cancels it. Before the client's connection closes, these are cancelled and awaited
 * (see TemporalConnectionCloser): a call left in the client's retry back-off (up to 6 s; a
 * cancel does not end that sleep) would otherwise wake up on a closed channel and crash the
 * process ("Channel has been shut down").
 */
const running = new Set<{ controller: AbortController; settled: Promise<unknown> }>();

/**
 * Runs `start` (a Temporal call, made with the signal it is given) as a call the service waits
 * for before its connection closes; see cancelRunningTemporalCalls.
 */
export function trackTemporalCall<T>(
  start: (signal: AbortSignal) => Promise<T>,
  controller = new AbortController(),
): Promise<T> {
  const call = start(controller.signal);
  const entry = { controller, settled: call.catch(() => undefined) };
  running.add(entry);
  void entry.settled.then(() => running.delete(entry));
  return call;
}

/** Cancels every Temporal call still running and waits (at most `waitMs`) until each has settled. */
export async function cancelRunningTemporalCalls(waitMs = 10_000): Promise<number> {
  const calls = [...running];
  for (const call of calls) call.controller.abort(new Error('the service is stopping'));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(calls.map((call) => call.settled)),
    new Promise((resolve) => (timer = setTimeout(resolve, waitMs))),
  ]);
  clearTimeout(timer);
  return calls.length;
}

/**
 * Runs a call to Temporal within the caller's deadline, its errors as HTTP answers (`subject`
 * names the workflow in them). Within an HTTP request the deadline is the earlier of
 * `deadlineMs` and the request's own (REQUEST_DEADLINE_MS), and the call is cancelled when the
 * request is abandoned (its caller disconnected, its deadline passed, the service stops). The
 * client's own retries may sleep past a gRPC deadline, so the answer is also bounded here: at
 * the deadline the caller gets 503, and the call is cancelled.
 */
export function withinDeadline<T>(
  temporal: Client,
  call: () => Promise<T>,
  deadlineMs = COMMAND_DEADLINE_MS,
  subject = 'the handover',
): Promise<T> {
  const request = currentRequest();
  // Its caller gone (or its deadline past) before the call: no call at all. (A signal that is
  // aborted already when a call starts would not cancel it.)
  if (request?.signal.aborted) return translateCommandErrors(() => Promise.reject(new CommandDeadlineExceeded()), subject);
  const deadline = Math.min(Date.now() + deadlineMs, request?.deadline ?? Infinity);
  const controller = new AbortController();
  const abort = () => controller.abort(request?.signal.reason);
  request?.signal.addEventListener('abort', abort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CommandDeadlineExceeded()), Math.max(0, deadline - Date.now()) + 250);
  });
  const raw = trackTemporalCall(
    (signal) => temporal.withAbortSignal(signal, () => temporal.withDeadline(deadline, call)),
    controller,
  );
  void raw.catch(() => undefined).then(() => request?.signal.removeEventListener('abort', abort));
  const answered = translateCommandErrors(() => raw, subject);
  answered.catch(() => undefined); // answered after the deadline: the caller has had its 503
  return Promise.race([translateCommandErrors(() => late, subject), answered]).finally(() => {
    clearTimeout(timer);
    // Given up on (deadline): cancel it, so it does not outlive its caller.
    controller.abort(new CommandDeadlineExceeded());
  });
}
