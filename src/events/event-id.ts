import { v5 as uuidv5 } from 'uuid';

/** Fixed namespace for Overdracht's name-based event ids. */
const EVENT_ID_NAMESPACE = '6f1c1d3e-8a0b-4c53-9a57-0d2f3f3b2a11';

/**
 * The id of the n-th event a writer (a workflow, or one run of it) records: the same on every
 * retry and replay, so an append that already happened is recognised and not written twice.
 */
export function deterministicEventId(writer: string, sequence: number): string {
  return uuidv5(`${writer}#${sequence}`, EVENT_ID_NAMESPACE);
}
