import { chainHash, contentHash } from '../events/event-hash';
import type { RecordedEvent } from '../events/event.types';

/** Where a stream's chain first does not hold. */
export interface BrokenLink {
  globalPosition: number;
  streamId: string;
  streamVersion: number;
  reason: string;
}

/** What the stream's preceding event left: its version and stored hash (none before the first). */
export interface StoredHead {
  version: number;
  hash: string;
}

/**
 * Why `event` does not follow `head` in its stream's chain, or undefined when it does: a
 * version that skips (an event is missing), a previous hash that is not the preceding event's
 * hash (re-chained), or content that no longer gives its own hash (changed).
 */
export function brokenLinkReason(
  event: RecordedEvent,
  head: StoredHead | undefined,
  content: string = contentHash(event),
): string | undefined {
  if (event.streamVersion !== (head?.version ?? 0) + 1) {
    return `version ${event.streamVersion} follows ${head?.version ?? 'nothing'}: an event is missing`;
  }
  if (event.previousHash !== (head?.hash ?? null)) return "previous hash does not match the stream's preceding event";
  if (chainHash(event.previousHash, event.streamVersion, content) !== event.hash) {
    return 'content does not match its hash: the event was changed';
  }
  return undefined;
}

/** One stream's chain recomputed from what its events say now. */
export interface StreamCheck {
  intact: boolean;
  events: number;
  /** The first event whose link does not hold; null when all hold. */
  firstBroken: BrokenLink | null;
  /**
   * The head hash recomputed over the events as they are now, in order: each link over the
   * recomputed hash before it, its version and its content. Equal to the stored head when
   * intact; a changed, removed or re-chained event changes it.
   */
  headHash: string | null;
  /** The hash stored with the stream's last event. */
  storedHeadHash: string | null;
}

/** Recomputes one stream's chain (events in version order), reading on past a broken link. */
export function checkStream(events: RecordedEvent[]): StreamCheck {
  let firstBroken: BrokenLink | null = null;
  let stored: StoredHead | undefined;
  let recomputed: string | null = null;
  for (const event of events) {
    const content = contentHash(event);
    const reason = brokenLinkReason(event, stored, content);
    if (reason && !firstBroken) {
      firstBroken = { globalPosition: event.globalPosition, streamId: event.streamId, streamVersion: event.streamVersion, reason };
    }
    recomputed = chainHash(recomputed, event.streamVersion, content);
    stored = { version: event.streamVersion, hash: event.hash };
  }
  return {
    intact: firstBroken === null,
    events: events.length,
    firstBroken,
    headHash: recomputed,
    storedHeadHash: stored?.hash ?? null,
  };
}
