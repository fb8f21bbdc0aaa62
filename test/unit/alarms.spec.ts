import { BusinessCalendar } from '../../src/time/calendar';
import { alarmsFor } from '../../workflows/transition/alarms';
import type { TaskStatus, TransitionStatus } from '../../workflows/transition/definitions';
import { dutchPublicHolidays } from '../../src/time/dutch-holidays';

const calendar = new BusinessCalendar(dutchPublicHolidays('2026-01-01', '2028-12-31'));
const policy = { reminderOffsetsDays: [7, 1], goLiveReminderOffsetsDays: [7, 1], escalationAfterDays: 2 };
const planned = Date.parse('2026-11-23T10:00:00Z');

function task(id: string, dueDate: string, overrides: Partial<TaskStatus> = {}): TaskStatus {
  return {
    id, title: id, offsetDays: 0, assigneeRole: 'outgoing', assignee: 'welzijn-maas', dependsOn: [], dueDate,
    status: 'open', completedAt: null, completedBy: null, note: null, plannedAt: planned, ...overrides,
  };
}

function status(tasks: TaskStatus[], overrides: Partial<TransitionStatus> = {}): TransitionStatus {
  return {
    transitionId: 'rotterdam.feijenoord.2027-06-01',
    plan: {
      transitionId: 'rotterdam.feijenoord.2027-06-01', municipality: 'rotterdam', district: 'feijenoord',
      outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate: '2027-06-01',
      goLiveAt: '2027-05-31T22:00:00.000Z', template: { code: 'provider-change', version: 1 },
    },
    state: 'preparing', atRisk: false, goLivePlannedAt: planned, tasks, milestones: [], decision: null, streamVersion: 1,
    ...overrides,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('Dutch business calendar', () => {
  it('skips weekends and public holidays', () => {
    expect(calendar.isBusinessDay('2027-04-26')).toBe(true); // Monday
    expect(calendar.isBusinessDay('2027-04-27')).toBe(false); // Koningsdag
    expect(calendar.isBusinessDay('2027-05-06')).toBe(false); // Hemelvaartsdag
    expect(calendar.isBusinessDay('2027-05-08')).toBe(false); // Saturday
    expect(calendar.onOrBefore('2027-01-31')).toBe('2027-01-29'); // Sunday → Friday
    expect(calendar.onOrAfter('2027-12-25')).toBe('2027-12-27'); // Christmas Saturday, Boxing Day Sunday → Monday
  });

  it('puts 09:00 Europe/Amsterdam at 08:00 UTC in winter and 07:00 UTC in summer', () => {
    expect(iso(BusinessCalendar.nineAm('2027-01-25'))).toBe('2027-01-25T08:00:00.000Z');
    expect(iso(BusinessCalendar.nineAm('2027-05-04'))).toBe('2027-05-04T07:00:00.000Z');
  });
});

describe('alarms of a transition', () => {
  it('remind 7 and 1 business days ahead at 09:00 and escalate 2 days after the due date', () => {
    const alarms = alarmsFor(status([task('kick-off', '2027-02-01')]), policy, calendar);
    expect(alarms.filter((a) => a.taskId === 'kick-off').map((a) => [a.kind, iso(a.at)])).toEqual([
      ['task-reminder', '2027-01-25T08:00:00.000Z'], // Monday, 7 days before
      ['task-reminder', '2027-01-29T08:00:00.000Z'], // 1 day before is a Sunday: the Friday before
      ['escalation', '2027-02-03T08:00:00.000Z'], // Wednesday, 2 days after
    ]);
  });

  it('move an escalation that lands on a holiday to the next business day', () => {
    const alarms = alarmsFor(status([task('keys', '2027-04-25')]), policy, calendar);
    expect(iso(alarms.find((a) => a.kind === 'escalation')!.at)).toBe('2027-04-28T07:00:00.000Z'); // after Koningsdag
  });

  it('leave out done tasks and reminders already past when the date was planned', () => {
    const alarms = alarmsFor(
      status([task('done', '2027-03-01', { status: 'done' }), task('soon', '2026-11-25')]),
      policy,
      calendar,
    );
    expect(alarms.filter((a) => a.taskId === 'done')).toEqual([]);
    expect(alarms.filter((a) => a.taskId === 'soon').map((a) => [a.kind, iso(a.at)])).toEqual([
      ['task-reminder', '2026-11-24T08:00:00.000Z'],
      ['escalation', '2026-11-27T08:00:00.000Z'],
    ]);
  });

  it('remind of go-live and open the gate at the start of the go-live day, unless waiting for a decision', () => {
    const alarms = alarmsFor(status([]), policy, calendar);
    expect(alarms.map((a) => [a.kind, iso(a.at)])).toEqual([
      ['go-live-reminder', '2027-05-25T07:00:00.000Z'],
      ['go-live-reminder', '2027-05-31T07:00:00.000Z'],
      ['go-live-gate', '2027-05-31T22:00:00.000Z'],
    ]);
    expect(alarmsFor(status([], { atRisk: true }), policy, calendar).map((a) => a.kind)).not.toContain('go-live-gate');
  });

  it('key alarms by due date, so a moved date gets new ones', () => {
    const before = alarmsFor(status([task('kick-off', '2027-02-01')]), policy, calendar).map((a) => a.key);
    const after = alarmsFor(status([task('kick-off', '2027-03-01')]), policy, calendar).map((a) => a.key);
    expect(after.filter((key) => key.startsWith('reminder:') && before.includes(key))).toEqual([]);
  });

  it('stop when the transition has ended', () => {
    expect(alarmsFor(status([task('x', '2027-03-01')], { state: 'cancelled' }), policy, calendar)).toEqual([]);
  });
});
