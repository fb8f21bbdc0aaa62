import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientCountsResponse } from '../../src/clients/reads/client-transfer.response';
import { auditStatus } from '../../src/web/pages/handover/audit-status';
import { clientFunnel } from '../../src/web/pages/handover/client-funnel';
import { goLiveRefusal, reasonRefusal, signOffRefusal } from '../../src/web/pages/handover/handover-refusals';
import { dutchDateTime, EVENT_LABELS, timelineLine } from '../../src/web/pages/handover/timeline-labels';

/** Every event type named in the typed unions of src/**\/*.events.ts (`Event<'Type', …>`). */
function eventTypesInSources(): string[] {
  const src = join(__dirname, '..', '..', 'src');
  const files = (readdirSync(src, { recursive: true }) as string[]).filter((file) => file.endsWith('.events.ts'));
  const types = files.flatMap((file) => [...readFileSync(join(src, file), 'utf8').matchAll(/Event<\s*'([A-Za-z]+)'/g)].map((match) => match[1]));
  return [...new Set(types)].sort();
}

describe('handover page helpers', () => {
  it('maps go-live refusals to a Dutch message next to the field they concern', () => {
    expect(goLiveRefusal(400, 'goLiveDate must be after today (2026-12-01, Europe/Amsterdam)')).toEqual({ field: 'goLiveDate', message: 'De nieuwe startdatum moet na vandaag liggen.' });
    expect(goLiveRefusal(400, 'goLiveDate must be at most 10 years after today (on or before 2036-12-01, Europe/Amsterdam)').message).toMatch(/10 jaar/);
    expect(goLiveRefusal(400, 'reason must say why (10 characters or more)').field).toBe('reason');
    expect(goLiveRefusal(409, 'go-live was moved by someone else first: expectedGoLiveDate is stale').message).toMatch(/Iemand anders/);
    expect(goLiveRefusal(409, 'the handover is cancelled').message).toMatch(/kan nu niet meer/);
    expect(signOffRefusal(409).field).toBe('milestone');
  });

  it('maps refusals of a go decision, a cancellation and a reopened task to their reason field, in Dutch', () => {
    expect(reasonRefusal('go-decision', 400)).toEqual({ field: 'goDecisionReason', message: expect.stringContaining('minstens 3') });
    expect(reasonRefusal('go-decision', 409, 'no go / no-go decision is pending: the handover is not at risk').message).toMatch(/geen besluit nodig/);
    expect(reasonRefusal('cancel', 409, 'a live handover cannot be cancelled')).toEqual({ field: 'cancelReason', message: expect.stringContaining('gestarte') });
    expect(reasonRefusal('cancel', 409, 'the handover is cancelled').message).toMatch(/geannuleerd of afgesloten/);
    expect(reasonRefusal('reopen', 409, 'the task is not done')).toEqual({ field: 'reopenReason', message: expect.stringContaining('niet afgerond') });
    expect(reasonRefusal('reopen', 503).message).toMatch(/niets opgeslagen/);
  });

  it('has Dutch words for every event type of the typed event unions', () => {
    const types = eventTypesInSources();
    expect(types.length).toBeGreaterThan(40);
    expect(types.filter((type) => !(type in EVENT_LABELS))).toEqual([]);
    expect(Object.keys(EVENT_LABELS).sort()).toEqual(types);
  });

  it('shows a timeline event in Dutch, with the task it concerns and never its free text', () => {
    const titles = { tasks: new Map([['kick-off', 'Kick-off meeting']]), milestones: new Map<string, string>() };
    const done = timelineLine({ at: new Date('2026-12-01T13:05:00Z'), type: 'TaskCompleted', data: { taskId: 'kick-off', note: 'Bij Jan thuis' } }, titles);
    expect(done).toEqual({ at: '2026-12-01T13:05:00.000Z', when: '1 december 2026, 14:05', label: 'Taak afgerond', subject: 'Kick-off meeting', detail: null });
    const moved = timelineLine({ at: '2026-07-01T22:30:00Z', type: 'GoLiveMoved', data: { from: '2027-06-01', to: '2027-07-01', reason: 'x' } }, titles);
    expect(moved.when).toBe('2 juli 2026, 00:30');
    expect(moved.detail).toBe('van 1 juni 2027 naar 1 juli 2027');
    expect(timelineLine({ at: new Date(0), type: 'TransitionStateChanged', data: { from: 'planned', to: 'preparing' } }, titles).detail).toBe('van Gepland naar In voorbereiding');
    expect(JSON.stringify(done)).not.toContain('Jan');
    expect(dutchDateTime(new Date('2027-03-28T01:30:00Z'))).toBe('28 maart 2027, 03:30');
  });

  it('shapes the client counts into a table of target groups by step, with totals', () => {
    const perGroup = (jeugd: number, ouderen: number) => ({ jeugd, ouderen, 'kwetsbare-bewoners': 0, overig: 0 });
    const counts = {
      transitionId: 'rotterdam.feijenoord.2027-06-01',
      total: 6,
      finished: 1,
      shareDone: 1 / 6,
      stalled: 2,
      byStepAndTargetGroup: {
        listed: perGroup(2, 1), informed: perGroup(0, 2), 'consent-given': perGroup(0, 0), 'file-transferred': perGroup(0, 0),
        'intake-planned': perGroup(0, 0), accepted: perGroup(1, 0), declined: perGroup(0, 0), ended: perGroup(0, 0),
      },
    } as unknown as ClientCountsResponse;
    const funnel = clientFunnel(counts);
    expect(funnel.steps.map((step) => step.label)).toEqual([
      'Op de lijst', 'Geïnformeerd', 'Toestemming gegeven', 'Dossier overgedragen', 'Intake gepland', 'Overgenomen', 'Geen toestemming', 'Gestopt',
    ]);
    expect(funnel.rows.map((row) => [row.label, row.total])).toEqual([['Jeugd', 3], ['Ouderen', 3], ['Kwetsbare bewoners', 0], ['Overig', 0]]);
    expect(funnel.rows[0].counts).toEqual([2, 0, 0, 0, 0, 1, 0, 0]);
    expect(funnel.totals).toEqual({ label: 'Totaal', counts: [3, 2, 0, 0, 0, 1, 0, 0], total: 6 });
    expect(funnel).toMatchObject({ finished: 1, stalled: 2 });
  });

  it('says in Dutch whether the audit trail is intact, and what is wrong when not', () => {
    const report = { intact: true, scope: { streamId: 'x', municipality: null }, streams: 1, events: 12, firstBroken: null, verifiedAt: '' };
    expect(auditStatus(report)).toEqual({ intact: true, sentence: 'Audittrail gecontroleerd: intact. Alle 12 gebeurtenissen zijn onveranderd.' });
    const broken = (reason: string) =>
      auditStatus({ ...report, intact: false, firstBroken: { globalPosition: 40, streamId: 'x', streamVersion: 7, reason } }).sentence;
    expect(broken('content does not match its hash: the event was changed')).toBe(
      'Audittrail gecontroleerd: niet in orde. Gebeurtenis 7 is na het vastleggen veranderd. Download de audittrail en meld dit.',
    );
    expect(broken('version 7 follows 5: an event is missing')).toContain('Er ontbreekt een gebeurtenis vóór gebeurtenis 7.');
    expect(broken("previous hash does not match the stream's preceding event")).toContain('opnieuw aan de keten');
  });
});
