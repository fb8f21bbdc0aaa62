import { auditCsv, auditExport } from '../../src/audit/audit-export';
import { checkStream } from '../../src/audit/hash-chain';
import { eventHash } from '../../src/events/event-hash';
import type { RecordedEvent } from '../../src/events/event.types';

const STREAM = 'rotterdam.charlois.2027-06-01';

const event = (overrides: Partial<RecordedEvent>): RecordedEvent => ({
  globalPosition: 7,
  eventId: '3b241101-e2bb-4255-8caf-4136c566a962',
  streamId: STREAM,
  streamVersion: 1,
  type: 'TransitionPlanned',
  schemaVersion: 1,
  data: { note: 'a "quoted"; text\nover two lines' },
  metadata: {
    actor: { user: '=HYPERLINK("http://x")', organisation: 'rotterdam', role: 'coordinator' },
    correlationId: 'c0ffee00-0000-4000-8000-000000000000',
    causationId: null,
  },
  recordedAt: '2026-11-23T09:00:00.000Z',
  previousHash: null,
  hash: '',
  ...overrides,
});

/** A stream of `n` events chained as the store chains them. */
function chained(n: number): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  for (let version = 1; version <= n; version++) {
    const draft = event({
      globalPosition: 10 + version,
      eventId: `3b241101-e2bb-4255-8caf-4136c566a9${String(version).padStart(2, '0')}`,
      streamVersion: version,
      type: version === 1 ? 'TransitionPlanned' : 'TaskCompleted',
      data: { step: version },
      previousHash: events[version - 2]?.hash ?? null,
    });
    events.push({ ...draft, hash: eventHash(draft) });
  }
  return events;
}

describe('audit CSV', () => {
  const first = event({});
  const csv = auditCsv(auditExport(STREAM, [{ ...first, hash: eventHash(first) }]));

  it('starts with a UTF-8 byte order mark and separates fields with semicolons, lines with CRLF', () => {
    expect(csv.startsWith('\uFEFFglobal_position;stream_version;recorded_at;type;')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('quotes a field holding the separator, quotes or a line break', () => {
    expect(csv).toContain('"{""note"":""a \\""quoted\\""; text\\nover two lines""}"');
  });

  it('keeps a value that looks like a formula as text', () => {
    expect(csv).toContain(`;"'=HYPERLINK(""http://x"")";rotterdam;coordinator;`);
  });

  it('ends with the verification and the digest: the hash of the last event and the number of events', () => {
    const lines = csv.trimEnd().split('\r\n');
    expect(lines.slice(-2)).toEqual(['verification;intact', `digest;SHA-256;${eventHash(first)};events;1`]);
  });
});

describe('the export recomputes the chain as it reads', () => {
  const events = chained(4);
  const head = events[3].hash;

  it('finds an untouched stream intact, its digest the stored head', () => {
    const exported = auditExport(STREAM, events);
    expect(exported.verification).toEqual({ intact: true, firstBroken: null, storedHeadHash: head, verifiedAt: expect.any(String) });
    expect(exported.digest).toEqual({ algorithm: 'SHA-256', headHash: head, events: 4 });
  });

  it('reports changed data at that event, and ends with a digest that differs from the one kept', () => {
    const tampered = events.map((e) => (e.streamVersion === 2 ? { ...e, data: { step: 99 } } : e));
    const exported = auditExport(STREAM, tampered);
    expect(exported.verification).toMatchObject({
      intact: false,
      firstBroken: { globalPosition: 12, streamId: STREAM, streamVersion: 2, reason: expect.stringContaining('changed') },
      storedHeadHash: head,
    });
    expect(exported.digest.headHash).not.toBe(head);
    expect(exported.events[1].data).toEqual({ step: 99 });
    const lines = auditCsv(exported).trimEnd().split('\r\n');
    expect(lines.slice(-2)).toEqual([
      `verification;broken;global_position;12;stream_version;2;reason;content does not match its hash: the event was changed;stored_head_hash;${head}`,
      `digest;SHA-256;${exported.digest.headHash};events;4`,
    ]);
  });

  it('reports a removed event at the one after it', () => {
    const check = checkStream([events[0], events[2], events[3]]);
    expect(check).toMatchObject({ intact: false, events: 3, firstBroken: { streamVersion: 3, reason: expect.stringContaining('missing') } });
    expect(check.headHash).not.toBe(head);
  });

  it('reports a removed last event: the digest is no longer the one kept', () => {
    const check = checkStream(events.slice(0, 3));
    expect(check.intact).toBe(true);
    expect(check.headHash).not.toBe(head);
  });

  it('reports an event forged with its own hash recomputed, at the next link', () => {
    const forged = { ...events[0], data: { step: 42 } };
    const check = checkStream([{ ...forged, hash: eventHash(forged) }, ...events.slice(1)]);
    expect(check.firstBroken).toMatchObject({ streamVersion: 2, reason: expect.stringContaining('previous hash') });
    expect(check.headHash).not.toBe(head);
  });

  it('reports a stored hash that was rewritten to hide a change, at the next link', () => {
    const rechained = events.map((e) => (e.streamVersion === 4 ? { ...e, previousHash: 'f'.repeat(64) } : e));
    expect(checkStream(rechained).firstBroken).toMatchObject({ streamVersion: 4, reason: expect.stringContaining('previous hash') });
  });
});
