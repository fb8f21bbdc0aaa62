import type { Actor } from '../../src/events/event.types';
import { addDays } from '../../src/time/calendar';
import type { TransitionEvent } from '../../src/transitions/transition.events';
import { planTransition } from '../../src/transitions/plan-transition';
import { decide, DecisionContext, plannedEventData, TransitionCommand } from '../../workflows/transition/decide';
import type { TransitionStatus } from '../../workflows/transition/definitions';
import { evolve } from '../../workflows/transition/evolve';
import { CONTINUATION, PROVIDER_CHANGE } from '../support/plans';

/**
 * The handover's decisions as given / when / then, without any server: given the events
 * recorded so far, when a command arrives, then these events (or this rejection).
 */
const coordinator: Actor = { user: 'c-1', organisation: 'rotterdam', role: 'coordinator' };
const outgoing = { actor: { user: 'p-1', organisation: 'welzijn-maas', role: 'provider' }, actingFor: ['welzijn-maas'] };
const incoming = { actor: { user: 'p-2', organisation: 'buurtkracht', role: 'provider' }, actingFor: ['buurtkracht'] };
const asCoordinator = { actor: coordinator, actingFor: ['rotterdam'] };
const now = Date.parse('2026-11-30T10:00:00Z');
const goLiveDate = '2027-06-01';
const policy = { reminderOffsetsDays: [7, 1], goLiveReminderOffsetsDays: [7, 1], escalationAfterDays: 2 };

function startOf(template = PROVIDER_CHANGE) {
  const request = {
    municipality: 'rotterdam',
    district: 'feijenoord',
    outgoingProvider: 'welzijn-maas',
    incomingProvider: template === CONTINUATION ? 'welzijn-maas' : 'buurtkracht',
    goLiveDate,
  };
  return planTransition(request, template, policy, coordinator, 'corr-1');
}

const context: DecisionContext = { at: now, actor: coordinator, closesAfterMilestone: 'evaluated' };
const planned = (template = PROVIDER_CHANGE): TransitionEvent => ({ type: 'TransitionPlanned', data: plannedEventData(startOf(template)) });
const taskCompleted = (taskId: string): TransitionEvent => ({ type: 'TaskCompleted', data: { taskId, note: null } });

function given(...events: TransitionEvent[]) {
  const state = events.reduce<TransitionStatus | null>((s, event) => evolve(s, event, context), null);
  return {
    state,
    when: (command: TransitionCommand) => ({
      then: (expected: TransitionEvent[]) => expect(decide(state, command, context)).toEqual(expected),
      thenRejects: (type: string, message?: string | RegExp) => {
        let thrown: unknown;
        try {
          decide(state, command, context);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toMatchObject({ type, nonRetryable: true, ...(message ? { message: expect.stringMatching(message) } : {}) });
      },
    }),
  };
}

describe('decide: the handover command core, given / when / then', () => {
  describe('planning', () => {
    it('plans a handover with every task and milestone due relative to go-live', () => {
      const events = decide(null, { type: 'PlanTransition', start: startOf() }, context);
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event.type).toBe('TransitionPlanned');
      if (event.type !== 'TransitionPlanned') return;
      expect(event.data.tasks.find((task) => task.id === 'kick-off')).toMatchObject({ dueDate: addDays(goLiveDate, -120), assignee: 'rotterdam' });
      expect(event.data.milestones.find((m) => m.id === 'evaluated')).toMatchObject({ dueDate: addDays(goLiveDate, 90), mandatory: false });
    });

    it('refuses a go-live that is not after today or more than ten years ahead', () => {
      const past = { ...startOf(), plan: { ...startOf().plan, goLiveDate: '2026-11-30' } };
      given().when({ type: 'PlanTransition', start: past }).thenRejects('Invalid', /goLiveDate must be after today/);
      const far = { ...startOf(), plan: { ...startOf().plan, goLiveDate: '2036-12-01' } };
      given().when({ type: 'PlanTransition', start: far }).thenRejects('Invalid', /at most 10 years/);
      const typo = { ...startOf(), plan: { ...startOf().plan, goLiveDate: '9999-12-22' } };
      given().when({ type: 'PlanTransition', start: typo }).thenRejects('Invalid');
    });

    it('refuses to plan twice', () => {
      given(planned()).when({ type: 'PlanTransition', start: startOf() }).thenRejects('Conflict');
    });

    it('refuses commands before the handover is recorded, as unavailable for now', () => {
      given().when({ type: 'CompleteTask', ...asCoordinator, taskId: 'kick-off', note: null }).thenRejects('Unavailable');
    });
  });

  describe('completing a task', () => {
    it('records the completion with the milestone it meets and the state that follows, as one decision', () => {
      given(planned())
        .when({ type: 'CompleteTask', ...asCoordinator, taskId: 'kick-off', note: 'Held on site' })
        .then([
          { type: 'TaskCompleted', data: { taskId: 'kick-off', note: 'Held on site' } },
          { type: 'MilestoneMet', data: { milestoneId: 'kicked-off' } },
          { type: 'TransitionStateChanged', data: { from: 'planned', to: 'preparing' } },
        ]);
    });

    it('records one event when nothing follows from it', () => {
      given(
        planned(),
        taskCompleted('kick-off'),
        { type: 'MilestoneMet', data: { milestoneId: 'kicked-off' } },
        { type: 'TransitionStateChanged', data: { from: 'planned', to: 'preparing' } },
      )
        .when({ type: 'CompleteTask', ...outgoing, taskId: 'staff-agreements', note: null })
        .then([{ type: 'TaskCompleted', data: { taskId: 'staff-agreements', note: null } }]);
    });

    it("refuses another organisation's task, an unknown task, a task done already, and one whose dependencies are open", () => {
      given(planned()).when({ type: 'CompleteTask', ...incoming, taskId: 'staff-agreements', note: null }).thenRejects('Forbidden');
      given(planned()).when({ type: 'CompleteTask', ...outgoing, taskId: 'no-such-task', note: null }).thenRejects('NotFound');
      given(planned()).when({ type: 'CompleteTask', ...outgoing, taskId: 'staff-agreements', note: null }).thenRejects('Conflict', /waits for kick-off/);
      given(planned(), taskCompleted('kick-off'))
        .when({ type: 'CompleteTask', ...asCoordinator, taskId: 'kick-off', note: null })
        .thenRejects('Conflict', /done already/);
    });

    it('names no organisation, task or value of the caller in a rejection', () => {
      given(planned()).when({ type: 'CompleteTask', ...incoming, taskId: 'staff-agreements', note: null }).thenRejects('Forbidden', /^the task is assigned to another organisation$/);
    });
  });

  describe('milestones and readiness', () => {
    it('signs a milestone off once; a second sign-off is a conflict', () => {
      const signOff: TransitionCommand = { type: 'SignOffMilestone', ...asCoordinator, milestoneId: 'partners-introduced', note: null };
      given(planned()).when(signOff).then([
        { type: 'MilestoneSignedOff', data: { milestoneId: 'partners-introduced', note: null } },
        { type: 'MilestoneMet', data: { milestoneId: 'partners-introduced' } },
      ]);
      const { state } = given(planned());
      const after = decide(state, signOff, context).reduce<TransitionStatus>((s, e) => evolve(s, e, context), state!);
      expect(() => decide(after, signOff, context)).toThrow(expect.objectContaining({ type: 'Conflict' }));
    });

    it('becomes ready when the last mandatory milestone is met, and preparing again when a task reopens', () => {
      const continuation = [
        planned(CONTINUATION),
        taskCompleted('kick-off'),
        { type: 'MilestoneMet', data: { milestoneId: 'kicked-off' } },
        { type: 'TransitionStateChanged', data: { from: 'planned', to: 'preparing' } },
        taskCompleted('residents-informed'),
        { type: 'MilestoneMet', data: { milestoneId: 'residents-informed' } },
      ] as TransitionEvent[];
      given(...continuation)
        .when({ type: 'CompleteTask', ...asCoordinator, taskId: 'go-no-go', note: null })
        .then([
          { type: 'TaskCompleted', data: { taskId: 'go-no-go', note: null } },
          { type: 'MilestoneMet', data: { milestoneId: 'go-decision' } },
          { type: 'TransitionStateChanged', data: { from: 'preparing', to: 'ready' } },
        ]);
      given(
        ...continuation,
        taskCompleted('go-no-go'),
        { type: 'MilestoneMet', data: { milestoneId: 'go-decision' } },
        { type: 'TransitionStateChanged', data: { from: 'preparing', to: 'ready' } },
      )
        .when({ type: 'ReopenTask', ...asCoordinator, taskId: 'go-no-go', reason: 'Minutes missing' })
        .then([
          { type: 'TaskReopened', data: { taskId: 'go-no-go', reason: 'Minutes missing' } },
          { type: 'MilestoneReopened', data: { milestoneId: 'go-decision' } },
          { type: 'TransitionStateChanged', data: { from: 'ready', to: 'preparing' } },
        ]);
    });
  });

  describe('go-live', () => {
    it('moves go-live with every due date, once; a stale expected date is a conflict', () => {
      const move: TransitionCommand = {
        type: 'MoveGoLive', ...asCoordinator, expectedGoLiveDate: goLiveDate, goLiveDate: '2027-09-01',
        goLiveAt: '2027-08-31T22:00:00.000Z', holidays: [], reason: 'Locations not ready', today: '2026-11-30',
      };
      const [moved] = decide(given(planned()).state, move, context);
      expect(moved).toMatchObject({ type: 'GoLiveMoved', data: { from: goLiveDate, to: '2027-09-01' } });
      if (moved.type !== 'GoLiveMoved') return;
      expect(moved.data.dueDates['kick-off']).toBe(addDays('2027-09-01', -120));
      given(planned(), moved).when(move).thenRejects('Conflict', /expectedGoLiveDate is stale/);
      given(planned()).when({ ...move, goLiveDate: '9999-12-22' }).thenRejects('Invalid', /at most 10 years/);
      given(planned()).when({ ...move, goLiveDate: '2026-11-01' }).thenRejects('Invalid', /after today/);
    });

    it('goes live at the gate when every mandatory milestone is met, else puts the handover at risk', () => {
      given(planned(CONTINUATION)).when({ type: 'ReachGoLive', notifications: [] }).then([
        { type: 'TransitionAtRisk', data: { unmetMilestones: ['kicked-off', 'residents-informed', 'go-decision'] } },
      ]);
      const signedOff = ['kicked-off', 'residents-informed', 'go-decision'].map(
        (milestoneId): TransitionEvent => ({ type: 'MilestoneSignedOff', data: { milestoneId, note: null } }),
      );
      const met = ['kicked-off', 'residents-informed', 'go-decision'].map(
        (milestoneId): TransitionEvent => ({ type: 'MilestoneMet', data: { milestoneId } }),
      );
      given(planned(CONTINUATION), ...signedOff, ...met).when({ type: 'ReachGoLive', notifications: [] }).then([
        { type: 'TransitionStateChanged', data: { from: 'planned', to: 'live' } },
        { type: 'TransitionWentLive', data: { goLiveDate } },
      ]);
    });

    it('decides go only at risk, going live with it', () => {
      given(planned()).when({ type: 'DecideGo', ...asCoordinator, reason: 'Safe to start' }).thenRejects('Conflict', /not at risk/);
      given(planned(), { type: 'TransitionAtRisk', data: { unmetMilestones: ['kicked-off'] } })
        .when({ type: 'DecideGo', ...asCoordinator, reason: 'Safe to start' })
        .then([
          { type: 'GoDecided', data: { decision: 'go', reason: 'Safe to start' } },
          { type: 'TransitionStateChanged', data: { from: 'planned', to: 'live' } },
          { type: 'TransitionWentLive', data: { goLiveDate } },
        ]);
    });
  });

  describe('cancelling', () => {
    it('cancels once; after that every command is a conflict', () => {
      const cancelled: TransitionEvent[] = [
        { type: 'TransitionCancelled', data: { reason: 'Withdrawn' } },
        { type: 'TransitionStateChanged', data: { from: 'planned', to: 'cancelled' } },
      ];
      given(planned()).when({ type: 'Cancel', ...asCoordinator, reason: 'Withdrawn' }).then(cancelled);
      given(planned(), ...cancelled).when({ type: 'Cancel', ...asCoordinator, reason: 'Withdrawn' }).thenRejects('Conflict', /cancelled/);
      given(planned(), ...cancelled).when({ type: 'CompleteTask', ...asCoordinator, taskId: 'kick-off', note: null }).thenRejects('Conflict');
    });
  });
});

describe('evolve: the state after each event', () => {
  it('builds the state from TransitionPlanned and counts the stream version', () => {
    const state = evolve(null, planned(), context);
    expect(state).toMatchObject({ state: 'planned', streamVersion: 1, atRisk: false, goLivePlannedAt: now });
    expect(state.tasks.find((task) => task.id === 'kick-off')).toMatchObject({ offsetDays: -120, status: 'open', plannedAt: now });
    expect(evolve(state, taskCompleted('kick-off'), context).streamVersion).toBe(2);
  });

  it('marks a task done with who and when, and open again with a new planning moment', () => {
    const later = { ...context, at: now + 86_400_000 };
    const done = evolve(evolve(null, planned(), context), { type: 'TaskCompleted', data: { taskId: 'kick-off', note: 'ok' } }, context);
    expect(done.tasks.find((t) => t.id === 'kick-off')).toMatchObject({
      status: 'done', note: 'ok', completedBy: coordinator, completedAt: new Date(now).toISOString(),
    });
    const reopened = evolve(done, { type: 'TaskReopened', data: { taskId: 'kick-off', reason: 'redo' } }, later);
    expect(reopened.tasks.find((t) => t.id === 'kick-off')).toMatchObject({ status: 'open', note: null, completedBy: null, plannedAt: later.at });
  });

  it('re-plans go-live, due dates and milestones on GoLiveMoved, clearing at-risk', () => {
    const atRisk = evolve(evolve(null, planned(), context), { type: 'TransitionAtRisk', data: { unmetMilestones: [] } }, context);
    expect(atRisk.atRisk).toBe(true);
    const moved = evolve(atRisk, { type: 'GoLiveMoved', data: { from: goLiveDate, to: '2027-09-01', reason: 'later', dueDates: {} } }, context);
    expect(moved.plan).toMatchObject({ goLiveDate: '2027-09-01', goLiveAt: '2027-08-31T22:00:00.000Z' });
    expect(moved.atRisk).toBe(false);
    expect(moved.tasks.find((t) => t.id === 'kick-off')!.dueDate).toBe(addDays('2027-09-01', -120));
    expect(moved.milestones.find((m) => m.id === 'evaluated')!.dueDate).toBe(addDays('2027-09-01', 90));
  });

  it('does not change the state it was given', () => {
    const state = evolve(null, planned(), context);
    const copy = JSON.parse(JSON.stringify(state));
    evolve(state, taskCompleted('kick-off'), context);
    expect(state).toEqual(copy);
  });
});
