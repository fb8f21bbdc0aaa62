import { InterceptingCall, Interceptor, ListenerBuilder, Metadata, RequesterBuilder, status as Status, StatusObject } from '@grpc/grpc-js';
import { defaultGrpcRetryOptions, GrpcRetryOptions } from '@temporalio/client';

/**
 * The Temporal client's retry of failed gRPC calls (the SDK's own policy: which statuses,
 * which back-off), made to respect its caller:
 * - a cancel (the call's AbortSignal, see withinDeadline) ends the call at once, also while it
 *   sleeps before a retry or runs a retried attempt: the SDK's interceptor cancels only the
 *   first attempt, so a cancelled call went on retrying for seconds;
 * - no retry is begun that would start at or after the call's deadline: the last answer is the
 *   caller's answer;
 * - a retry that finds the channel closed ends with that attempt's status, instead of throwing
 *   "Channel has been shut down" from a timer (an uncaught error that crashed the process when
 *   the connection closed under load).
 */
export function respectfulRetryInterceptor(retry: GrpcRetryOptions = defaultGrpcRetryOptions()): Interceptor {
  return (options, nextCall) => {
    let savedSendMessage: unknown;
    let savedReceiveMessage: unknown;
    let savedMessageNext: ((message: unknown) => void) | undefined;
    let upstreamMessage: ((message: unknown) => void) | undefined;
    let deliver: ((status: StatusObject) => void) | undefined;
    let attemptCall: ReturnType<Parameters<Interceptor>[1]> | undefined;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    let cancelled = false;
    const deadlineMs = (): number => {
      const deadline = options.deadline;
      if (deadline === undefined || deadline === null) return Infinity;
      return deadline instanceof Date ? deadline.getTime() : Number(deadline);
    };
    const finish = (status: StatusObject) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      // The message held back from the first attempt is passed on (the last attempt's, if it
      // answered one) before the status, whatever the status: grpc-js holds a status back while
      // a message is held, and the call would never end.
      if (savedMessageNext) savedMessageNext(savedReceiveMessage);
      else if (status.code === Status.OK) upstreamMessage?.(savedReceiveMessage);
      deliver?.(status);
    };

    const requester = new RequesterBuilder()
      .withStart((metadata, upstream, next) => {
        upstreamMessage = (message) => upstream.onReceiveMessage(message);
        let attempt = 1;
        const listener = new ListenerBuilder()
          .withOnReceiveMessage((message, nextMessage) => {
            savedReceiveMessage = message;
            savedMessageNext = nextMessage;
          })
          .withOnReceiveStatus((firstStatus, nextStatus) => {
            deliver = nextStatus;
            const again = () => {
              if (finished) return;
              attempt += 1;
              let call: ReturnType<Parameters<Interceptor>[1]>;
              try {
                call = attemptCall = nextCall(options);
              } catch {
                return finish(lastStatus); // the channel has closed
              }
              call.start(metadata, {
                onReceiveMessage(message: unknown) {
                  savedReceiveMessage = message;
                },
                onReceiveStatus,
              });
              call.sendMessage(savedSendMessage);
              call.halfClose();
            };
            let lastStatus = firstStatus;
            const onReceiveStatus = (status: StatusObject) => {
              lastStatus = status;
              if (finished) return;
              if (cancelled) return finish(status);
              if (retry.retryableDecider(attempt, status)) {
                const delay = retry.delayFunction(attempt, status);
                if (Date.now() + delay < deadlineMs()) {
                  timer = setTimeout(again, delay);
                  return;
                }
              }
              finish(status);
            };
            onReceiveStatus(firstStatus);
          })
          .build();
        next(metadata, listener);
      })
      .withSendMessage((message, next) => {
        savedSendMessage = message;
        next(message);
      })
      .withCancel((next) => {
        cancelled = true;
        // A retried attempt is ours to cancel; while sleeping before one, the answer is ours to give.
        attemptCall?.cancelWithStatus(Status.CANCELLED, 'Cancelled on client');
        if (timer !== undefined && deliver) finish(cancelledStatus());
        next();
      })
      .build();
    return new InterceptingCall(nextCall(options), requester);
  };
}

function cancelledStatus(): StatusObject {
  return { code: Status.CANCELLED, details: 'Cancelled on client', metadata: new Metadata() };
}
