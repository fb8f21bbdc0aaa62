import { auditCsv, auditExport } from '../../src/audit/audit-export';
import type { RecordedEvent } from '../../src/events/event.types';

const event = (overrides: Partial<RecordedEvent>): RecordedEvent => ({
  globalPosition: 7,
  eventId: '3b241101-e2bb-4255-8caf-4136c566a962',
  streamId: 'rotterdam.charlois.2027-06-01',
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
  hash: 'a'.repeat(64),
  ...overrides,
});

describe('audit CSV', () => {
  const csv = auditCsv(auditExport('rotterdam.charlois.2027-06-01', [event({})]));

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

  it('ends with the digest: the hash of the last event and the number of events', () => {
    expect(csv.trimEnd().split('\r\n').pop()).toBe(`digest;SHA-256;${'a'.repeat(64)};events;1`);
  });
});
