import { BadRequestException } from '@nestjs/common';
import { amsterdamToday } from '../../src/time/amsterdam';
import { addDays, addYears } from '../../src/time/calendar';
import { bulkActionAt, bulkResultMessage, formValues } from '../../src/web/pages/inbox/bulk-actions';
import { inboxPageLinks, inboxView } from '../../src/web/pages/inbox/inbox-pages';

describe('the inbox: its pages and the bulk actions on client transfers', () => {
  const today = amsterdamToday();

  it('pages tasks, client transfers and notifications each on its own, keeping the others and the page size', () => {
    const none = { taken: null, clienten: null, meldingen: null };
    expect(inboxPageLinks({ cursors: {}, pageSize: 5 }, { taken: 'T1', clienten: null, meldingen: 'M1' })).toEqual({
      next: { taken: '/taken?taken=T1&aantal=5', clienten: null, meldingen: '/taken?meldingen=M1&aantal=5' },
      first: none,
      here: '?aantal=5',
    });
    expect(inboxPageLinks({ cursors: { taken: 'T1', meldingen: 'M1' } }, { taken: null, clienten: 'C1', meldingen: 'M2' })).toEqual({
      next: { taken: null, clienten: '/taken?taken=T1&meldingen=M1&clienten=C1', meldingen: '/taken?taken=T1&meldingen=M2' },
      first: { taken: '/taken?meldingen=M1', clienten: null, meldingen: '/taken?taken=T1' },
      here: '?taken=T1&meldingen=M1',
    });
    expect(inboxPageLinks({ cursors: {} }, none).here).toBe('');
  });

  it('reads the lists\' cursors and the page size from the URL; a repeated cursor is refused', () => {
    expect(inboxView({ taken: 'T1', clienten: 'C1', aantal: '10', other: 'x' })).toEqual({ cursors: { taken: 'T1', clienten: 'C1' }, pageSize: 10 });
    expect(inboxView({})).toEqual({ cursors: {}, pageSize: undefined });
    expect(() => inboxView({ meldingen: ['M1', 'M2'] })).toThrow(BadRequestException);
  });

  it('offers a bulk action where the next step is one command, on the side whose move it is', () => {
    expect(['listed', 'informed', 'file-transferred', 'intake-planned'].map((step) => bulkActionAt(step)?.side)).toEqual([
      'outgoing', 'outgoing', 'incoming', 'incoming',
    ]);
    // A file moves one client at a time; finished transfers have no next step; anything else is no step.
    for (const step of ['consent-given', 'accepted', 'declined', 'ended', '__proto__', 'listed/../x']) expect(bulkActionAt(step)).toBeUndefined();
  });

  it("checks the form by the API's own rules, naming the fields that break them", () => {
    const inform = bulkActionAt('listed')!;
    expect(inform.read(formValues({ date: today, channel: 'letter' }))).toEqual({ command: { date: today, channel: 'letter' } });
    expect(inform.read(formValues({ date: addDays(today, 1), channel: 'pigeon' }))).toEqual({ invalid: ['date', 'channel'] });
    expect(inform.read(formValues({ date: ['2026-01-01'], channel: 'letter', extra: 'x' }))).toEqual({ invalid: ['date'] });
    expect(inform.read(formValues({ date: '2026-02-30', channel: 'letter' }))).toEqual({ invalid: ['date'] });

    const consent = bulkActionAt('informed')!;
    expect(consent.read(formValues({ given: 'nee', date: today }))).toEqual({ command: { given: false, date: today } });
    expect(consent.read(formValues({ given: 'misschien', date: today }))).toEqual({ invalid: ['given'] });

    // An intake may lie ahead, up to a year.
    const intake = bulkActionAt('file-transferred')!;
    expect(intake.read(formValues({ date: addDays(today, 14) }))).toEqual({ command: { date: addDays(today, 14) } });
    expect(intake.read(formValues({ date: addDays(addYears(today, 1), 1) }))).toEqual({ invalid: ['date'] });
  });

  it('says in Dutch how many clients moved on and why the others did not', () => {
    const outcome = (...statuses: Array<200 | 400 | 403 | 404 | 409 | 503>) => ({
      results: statuses.map((status, i) => ({ pseudonym: String(i).padStart(20, '0'), status })),
      counts: { done: statuses.filter((s) => s === 200).length, refused: statuses.filter((s) => s !== 200).length },
    });
    expect(bulkResultMessage(outcome(200, 200, 200))).toBe('3 cliënten bijgewerkt.');
    expect(bulkResultMessage(outcome(200, 409))).toBe('1 cliënt bijgewerkt, 1 geweigerd: 1 niet meer bij deze stap.');
    expect(bulkResultMessage(outcome(503, 409, 200, 409, 400))).toBe(
      '1 cliënt bijgewerkt, 4 geweigerd: 1 met een datum die niet past bij een eerdere stap; 2 niet meer bij deze stap; 1 niet bereikt, probeer het opnieuw.',
    );
  });
});
