import type { Actor } from '../../src/events/event.types';
import type { TransitionEvent } from '../../src/transitions/transition.events';
import { planTransition } from '../../src/transitions/plan-transition';
import { decide, DecisionContext, plannedEventData, TransitionCommand } from '../../workflows/transition/decide';
import type { ResidentCampaignReport, TransitionStatus } from '../../workflows/transition/definitions';
import { evolve } from '../../workflows/transition/evolve';
import { PROVIDER_CHANGE_V2, PROVIDER_CHANGE_V3 } from '../support/plans';

/**
 * The handover hearing of its resident campaign (template v3: "residents informed" is a check on
 * the campaign once there is one), as given / when / then without any server.
 */
const coordinator: Actor = { user: 'c-1', organisation: 'rotterdam', role: 'coordinator' };
const now = Date.parse('2026-11-30T10:00:00Z');
const policy = { reminderOffsetsDays: [7, 1], goLiveReminderOffsetsDays: [7, 1], escalationAfterDays: 2 };
const context: DecisionContext = { at: now, actor: coordinator, closesAfterMilestone: 'evaluated' };
const CAMPAIGN = '4b7e0f0c-6c1f-4d83-9b5b-0a4f6d1e2c33';
const OTHER = '9a0d4c3e-1b2f-4e5a-8c7d-6e5f4a3b2c1d';
const outcome = { emailsSent: 2_900, emailsBounced: 100, lettersPosted: 20_060, fallbackLetters: 60, skipped: 3 };

const planned = (template = PROVIDER_CHANGE_V3): TransitionEvent => ({
  type: 'TransitionPlanned',
  data: plannedEventData(
    planTransition(
      { municipality: 'rotterdam', district: 'feijenoord', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate: '2027-06-01' },
      template,
      policy,
      coordinator,
      'corr-1',
    ),
  ),
});
const done = (taskId: string): TransitionEvent => ({ type: 'TaskCompleted', data: { taskId, note: null } });
const met = (milestoneId: string): TransitionEvent => ({ type: 'MilestoneMet', data: { milestoneId } });
const kickedOff: TransitionEvent[] = [
  planned(),
  done('kick-off'),
  met('kicked-off'),
  { type: 'TransitionStateChanged', data: { from: 'planned', to: 'preparing' } },
];
/** Both providers ticked their "inform residents" tasks: as in version 2, that meets the milestone. */
const tasksDone: TransitionEvent[] = [...kickedOff, done('residents-informed-outgoing'), done('residents-informed-incoming'), met('residents-informed')];

const r = {
  started: (campaignId = CAMPAIGN): TransitionEvent => ({ type: 'ResidentCampaignStarted', data: { campaignId } }),
  behind: (campaignId = CAMPAIGN): TransitionEvent => ({ type: 'ResidentCampaignBehindSchedule', data: { campaignId } }),
  back: (campaignId = CAMPAIGN): TransitionEvent => ({ type: 'ResidentCampaignBackOnSchedule', data: { campaignId } }),
  completed: (campaignId = CAMPAIGN): TransitionEvent => ({ type: 'ResidentCampaignCompleted', data: { campaignId, ...outcome } }),
  cancelled: (campaignId = CAMPAIGN): TransitionEvent => ({ type: 'ResidentCampaignCancelled', data: { campaignId } }),
};
const report = (view: ResidentCampaignReport['view'], campaignId = CAMPAIGN): TransitionCommand => ({
  type: 'ReportResidentCampaign',
  campaignId,
  view,
  outcome: view === 'completed' ? outcome : null,
});

function stateOf(events: TransitionEvent[]): TransitionStatus {
  return events.reduce<TransitionStatus | null>((s, event) => evolve(s, event, context), null)!;
}

function given(...events: TransitionEvent[]) {
  const state = stateOf(events);
  return {
    state,
    when: (command: TransitionCommand) => ({
      then: (expected: TransitionEvent[]) => expect(decide(state, command, context)).toEqual(expected),
      after: () => decide(state, command, context).reduce((s, event) => evolve(s, event, context), state),
    }),
  };
}
const milestone = (state: TransitionStatus) => state.milestones.find((m) => m.id === 'residents-informed')!;

describe('decide: the handover hears of its resident campaign (template v3)', () => {
  it('plans "residents informed" as a check on the resident campaign', () => {
    expect(milestone(stateOf([planned()]))).toMatchObject({ check: 'resident-campaign', mandatory: true, met: false });
    expect(milestone(stateOf([planned(PROVIDER_CHANGE_V2)])).check).toBeUndefined();
  });

  it('on its start, holds "residents informed" unmet though its tasks are done', () => {
    given(...tasksDone).when(report('running')).then([r.started(), { type: 'MilestoneReopened', data: { milestoneId: 'residents-informed' } }]);
    given(...kickedOff, done('residents-informed-outgoing'), r.started())
      .when({ type: 'CompleteTask', actor: { user: 'p-2', organisation: 'buurtkracht', role: 'provider' }, actingFor: ['buurtkracht'], taskId: 'residents-informed-incoming', note: null })
      .then([done('residents-informed-incoming')]);
    expect(milestone(given(...kickedOff).when(report('running')).after())).toMatchObject({ met: false });
    expect(given(...kickedOff).when(report('running')).after().residents).toEqual({ campaignId: CAMPAIGN, state: 'running' });
  });

  it('meets "residents informed" in the same decision as the campaign completes, with its counts', () => {
    given(...kickedOff, r.started()).when(report('completed')).then([r.completed(), met('residents-informed')]);
    given(...tasksDone, r.started(), { type: 'MilestoneReopened', data: { milestoneId: 'residents-informed' } }, r.behind())
      .when(report('completed'))
      .then([r.completed(), met('residents-informed')]);
  });

  it('meets it also when the first report it hears is the completion', () => {
    given(...kickedOff).when(report('completed')).then([r.started(), r.completed(), met('residents-informed')]);
  });

  it('goes back to its tasks when the campaign is cancelled', () => {
    given(...kickedOff, r.started()).when(report('cancelled')).then([r.cancelled()]);
    given(...kickedOff, done('residents-informed-outgoing'), done('residents-informed-incoming'), r.started())
      .when(report('cancelled'))
      .then([r.cancelled(), met('residents-informed')]);
  });

  it('hears a campaign falling behind schedule and getting back on it', () => {
    given(...kickedOff, r.started()).when(report('behind')).then([r.behind()]);
    given(...kickedOff, r.started(), r.behind()).when(report('running')).then([r.back()]);
    given(...kickedOff).when(report('behind')).then([r.started(), r.behind()]);
    const behind = given(...kickedOff, r.started()).when(report('behind')).after();
    expect(behind.residents).toEqual({ campaignId: CAMPAIGN, state: 'behind' });
    expect(milestone(behind).met).toBe(false);
  });

  it('ignores reports of another campaign while one runs, and takes a new one after a cancellation', () => {
    for (const view of ['running', 'behind', 'completed', 'cancelled'] as const) {
      given(...kickedOff, r.started()).when(report(view, OTHER)).then([]);
      given(...kickedOff, r.started(), r.completed(), met('residents-informed')).when(report(view, OTHER)).then([]);
    }
    given(...kickedOff, r.started(), r.cancelled()).when(report('running', OTHER)).then([r.started(OTHER)]);
    given(...kickedOff, r.started(), r.cancelled()).when(report('cancelled', OTHER)).then([]);
  });

  it('changes nothing on a repeated report, nor after the campaign ended', () => {
    given(...kickedOff, r.started()).when(report('running')).then([]);
    given(...kickedOff, r.started(), r.behind()).when(report('behind')).then([]);
    const completed = [...kickedOff, r.started(), r.completed(), met('residents-informed')];
    given(...completed).when(report('completed')).then([]);
    given(...completed).when(report('cancelled')).then([]);
    given(...completed).when(report('behind')).then([]);
    given(...kickedOff, r.started(), r.cancelled()).when(report('cancelled')).then([]);
    given(...kickedOff, r.started(), r.cancelled()).when(report('completed')).then([]);
  });
});
