/** How long to wait after pages in a row whose every e-mail was refused for now: 1 s, doubling, at most 60 s. */
export function emailBackoffMs(deferredPages: number): number {
  return Math.min(1_000 * 2 ** Math.max(0, deferredPages - 1), 60_000);
}
