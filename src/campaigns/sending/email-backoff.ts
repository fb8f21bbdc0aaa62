/** First wait after a page of e-mail that was deferred as a whole. */
export const EMAIL_BACKOFF_FIRST_MS = 1_000;
/** Longest wait between two pages while the SMTP server keeps refusing for now. */
export const EMAIL_BACKOFF_MAX_MS = 60_000;

/**
 * How long the campaign waits before its next e-mail page, after `consecutiveDeferredPages`
 * pages in a row in which every message was refused for now (4xx, connection refused or lost):
 * 0 when the last page got through, then 1 s, doubling, at most 60 s. Pure, for the workflow.
 */
export function emailBackoffMs(consecutiveDeferredPages: number): number {
  if (!Number.isFinite(consecutiveDeferredPages) || consecutiveDeferredPages <= 0) return 0;
  const exponent = Math.min(Math.floor(consecutiveDeferredPages) - 1, 30);
  return Math.min(EMAIL_BACKOFF_FIRST_MS * 2 ** exponent, EMAIL_BACKOFF_MAX_MS);
}
