import { ConfigService } from '@nestjs/config';
import { WithStartWorkflowOperation, WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import type { AppendEventsRequest } from '../../src/events/event-store.activities';
import { EventStore } from '../../src/events/event-store.service';
import type { Actor } from '../../src/events/event.types';
import { Mailer } from '../../src/notifications/mailer.service';
import type { PlanTemplate } from '../../src/plans/plan-template.types';
import { createActivities } from '../../src/temporal/activities';
import { startOfAmsterdamDay } from '../../src/time/amsterdam';
import { addDays, amsterdamDate, BusinessCalendar } from '../../src/time/calendar';
import { dutchPublicHolidays } from '../../src/time/dutch-holidays';
import { holidaysUntil, planTransition } from '../../src/transitions/plan-transition';
import {
  cancelUpdate,
  completeTaskUpdate,
  goDecisionUpdate,
  moveGoLiveUpdate,
  reopenTaskUpdate,
  signOffMilestoneUpdate,
  transitionRegisteredUpdate,
  TransitionStatus,
  transitionStatusQuery,
} from '../../workflows/transition/definitions';
import { transitionWorkflowV2 } from '../../workflows/transition/workflow';
import { seedOrganisations } from '../support/access';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventStoreFor } from '../support/event-store';
import { eventually } from '../support/eventually';
import { CONTINUATION, PROVIDER_CHANGE } from '../support/plans';
import { startTimeSkippingServer } from '../support/temporal';

const taskQueue = 'transition-workflow-test';
const MINUTE = 60_000;
const policy = { reminderOffsetsDays: [7, 1], goLiveReminderOffsetsDays: [7, 1], escalationAfterDays: 2 };
const coordinator: Actor = { user: 'coordinator-1', organisation: 'rotterdam', role: 'coordinator' };
const as = (organisation: string, role = 'provider') => ({
  actor: { user: `${role}-${organisation}`, organisation, role },
  actingFor: [organisation],
});

describe('transitionWorkflow over the life of a handover (time-skipping server, real PostgreSQL and SMTP)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let sink: SmtpSink;
  let eventStore: EventStore;
  let worker: Worker;
  let running: Promise<void>;
  /** Faults to inject into appends: the next `lose` appends are stored but their answer is lost; `refuse` are refused. */
  const faults = { lose: 0, refuse: 0 };
  /** Each test's go-live lies months ahead of the server's clock, which earlier tests moved on. */
  let goLiveDate: string;
  let calendar: BusinessCalendar;

  beforeAll(async () => {
    [env, db, sink] = await Promise.all([startTimeSkippingServer(), createTestDatabase(), SmtpSink.start(0)]);
    await seedOrganisations(db.admin);
    eventStore = eventStoreFor(db.app);
    const mailer = new Mailer(new ConfigService({ SMTP_URL: sink.url, MAIL_FROM: 'Overdracht <test@overdracht.invalid>' }));
    const activities = createActivities({ eventStore, dataSource: db.app, mailer, temporal: env.client, erasureLogFile: join(tmpdir(), `erasures-${randomUUID()}.log`), taskQueue });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: {
        ...activities,
        async appendEvents(request: AppendEventsRequest) {
          if (faults.refuse > 0) {
            faults.refuse -= 1;
            throw ApplicationFailure.retryable('the event store could not be reached', 'EventStoreUnavailable');
          }
          const result = await activities.appendEvents(request);
          if (faults.lose > 0) {
            faults.lose -= 1;
            throw ApplicationFailure.retryable('connection lost after commit', 'EventStoreUnavailable');
          }
          return result;
        },
      },
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await sink?.stop();
    await db?.drop();
  });

  beforeEach(async () => {
    Object.assign(faults, { lose: 0, refuse: 0 });
    goLiveDate = addDays(amsterdamDate(await env.currentTimeMs()), 200);
    calendar = new BusinessCalendar(dutchPublicHolidays('2026-01-01', addDays(goLiveDate, 365)));
  });

  async function start(district: string, template: PlanTemplate = PROVIDER_CHANGE, incoming = 'buurtkracht', maxHistoryEvents?: number) {
    const request = { municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: incoming, goLiveDate };
    const input = { ...planTransition(request, template, policy, coordinator, randomUUID()), maxHistoryEvents };
    await env.client.workflow.executeUpdateWithStart(transitionRegisteredUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation(transitionWorkflowV2, {
        workflowId: input.plan.transitionId,
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
      }),
    });
    return env.client.workflow.getHandle<typeof transitionWorkflowV2>(input.plan.transitionId);
  }

  const reminderAt = (due: string, daysBefore: number) => BusinessCalendar.nineAm(calendar.onOrBefore(addDays(due, -daysBefore)));
  const escalationAt = (due: string) => BusinessCalendar.nineAm(calendar.onOrAfter(addDays(due, 2)));
  const sleepUntil = async (at: number) => env.sleep(at - (await env.currentTimeMs()));
  const inbox = (id: string) => db.app.query('SELECT organisation, kind, subject FROM notifications WHERE id = $1', [id]);
  const mailsFor = (transitionId: string) => sink.received.filter((mail) => mail.text.includes(transitionId));
  const eventTypes = async (id: string) => (await eventStore.readStream(id)).map((event) => event.type);
  const status = (handle: WorkflowHandle): Promise<TransitionStatus> => handle.query(transitionStatusQuery);
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: WorkflowUpdateFailedError) => (error.cause as { type?: string } | undefined)?.type,
    );
  const moveTo = (newGoLive: string, expected = goLiveDate) => ({
    ...as('rotterdam', 'coordinator'),
    expectedGoLiveDate: expected,
    goLiveDate: newGoLive,
    goLiveAt: startOfAmsterdamDay(newGoLive),
    holidays: holidaysUntil(newGoLive),
    reason: 'Locations not ready',
    today: '2000-01-01',
  });

  it('reminds the assignee at 09:00 on business days before the due date, then escalates to the coordinator', async () => {
    const handle = await start('feijenoord');
    const { transitionId } = await status(handle);
    const due = addDays(goLiveDate, -120); // kick-off, the municipality's task
    const reminderId = `${transitionId}:reminder:kick-off:${due}:7:rotterdam`;

    await sleepUntil(reminderAt(due, 7) - MINUTE);
    expect(await inbox(reminderId)).toEqual([]);
    await env.sleep(2 * MINUTE);
    await eventually(async () =>
      expect(await inbox(reminderId)).toEqual([
        { organisation: 'rotterdam', kind: 'task-reminder', subject: `Reminder: "Kick-off with both providers" is due on ${due}` },
      ]),
    );
    await eventually(async () =>
      expect(mailsFor(transitionId).map((mail) => [mail.to, mail.subject])).toEqual([
        [['rotterdam@demo.overdracht.invalid'], `Reminder: "Kick-off with both providers" is due on ${due}`],
      ]),
    );

    const escalationId = `${transitionId}:escalation:kick-off:${due}:rotterdam`;
    await sleepUntil(escalationAt(due) - MINUTE);
    expect(await inbox(escalationId)).toEqual([]);
    await env.sleep(2 * MINUTE);
    await eventually(async () => expect(await inbox(escalationId)).toHaveLength(1));

    // Every notification is in the audit trail, and none was sent twice.
    const sent = (await eventStore.readStream(transitionId)).filter((event) => event.type === 'NotificationSent');
    const ids = sent.map((event) => event.data.notificationId);
    expect(ids).toEqual(expect.arrayContaining([reminderId, `${transitionId}:reminder:kick-off:${due}:1:rotterdam`, escalationId]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(mailsFor(transitionId).map((mail) => mail.messageId)).size).toBe(mailsFor(transitionId).length);
  });

  it('re-plans every due date, reminder and the gate when go-live moves', async () => {
    const handle = await start('charlois', PROVIDER_CHANGE, 'samen-sterk');
    const { transitionId } = await status(handle);
    const newGoLive = addDays(goLiveDate, 28);
    const moved = await handle.executeUpdate(moveGoLiveUpdate, { args: [moveTo(newGoLive)] });
    const oldDue = addDays(goLiveDate, -120);
    const newDue = addDays(newGoLive, -120);
    expect(moved.plan.goLiveDate).toBe(newGoLive);
    expect(moved.tasks.find((task) => task.id === 'kick-off')!.dueDate).toBe(newDue);

    await sleepUntil(reminderAt(oldDue, 7) + MINUTE);
    await sleepUntil(reminderAt(newDue, 7) - MINUTE);
    expect(await inbox(`${transitionId}:reminder:kick-off:${oldDue}:7:rotterdam`)).toEqual([]);
    await env.sleep(2 * MINUTE);
    await eventually(async () => expect(await inbox(`${transitionId}:reminder:kick-off:${newDue}:7:rotterdam`)).toHaveLength(1));
    expect(await eventTypes(transitionId)).toContain('GoLiveMoved');
  });

  it('holds at the gate when a mandatory milestone is unmet, until a coordinator decides to go anyway', async () => {
    const handle = await start('ijsselmonde', PROVIDER_CHANGE, 'samen-sterk');
    const { transitionId } = await status(handle);
    await sleepUntil(Date.parse(startOfAmsterdamDay(goLiveDate)) + MINUTE);
    await eventually(async () => expect(await status(handle)).toMatchObject({ atRisk: true, state: 'planned' }));
    const alert = await eventually(async () => {
      const [row] = await inbox(`${transitionId}:gate:${goLiveDate}:rotterdam`);
      expect(row).toMatchObject({ organisation: 'rotterdam', kind: 'go-live-gate' });
      return row;
    });
    expect(alert.subject).toContain('At risk');

    const decided = await handle.executeUpdate(goDecisionUpdate, {
      args: [{ ...as('rotterdam', 'coordinator'), reason: 'Clients are safe; files follow next week' }],
    });
    expect(decided).toMatchObject({ state: 'live', atRisk: false, decision: { decision: 'go' } });
    expect(await eventTypes(transitionId)).toEqual(
      expect.arrayContaining(['TransitionAtRisk', 'GoDecided', 'TransitionStateChanged', 'TransitionWentLive']),
    );
  });

  it('gets ready as milestones are met, goes live on the date and closes after the evaluation', async () => {
    const handle = await start('hoogvliet', CONTINUATION, 'welzijn-maas');
    const { transitionId } = await status(handle);
    const complete = (taskId: string, organisation: string, role = 'provider') =>
      handle.executeUpdate(completeTaskUpdate, { args: [{ ...as(organisation, role), taskId, note: null }] });

    expect((await complete('kick-off', 'rotterdam', 'coordinator')).state).toBe('preparing');
    await complete('assignment-agreed', 'welzijn-maas');
    await complete('residents-informed', 'welzijn-maas');
    const ready = await complete('go-no-go', 'rotterdam', 'coordinator');
    expect(ready.state).toBe('ready');
    expect(ready.milestones.filter((m) => m.mandatory).every((m) => m.met)).toBe(true);

    await sleepUntil(Date.parse(startOfAmsterdamDay(goLiveDate)) + MINUTE);
    await eventually(async () => expect((await status(handle)).state).toBe('live'));
    await handle.executeUpdate(signOffMilestoneUpdate, {
      args: [{ ...as('rotterdam', 'coordinator'), milestoneId: 'evaluated', note: 'Evaluated with the provider' }],
    });
    const final = await handle.result();
    expect(final.state).toBe('closed');
    expect(await eventTypes(transitionId)).toEqual(
      expect.arrayContaining(['TaskCompleted', 'MilestoneMet', 'MilestoneSignedOff', 'TransitionWentLive']),
    );
    const states = (await eventStore.readStream(transitionId))
      .filter((event) => event.type === 'TransitionStateChanged')
      .map((event) => event.data.to);
    expect(states).toEqual(['preparing', 'ready', 'live', 'closed']);
  });

  it('continues as new when its history grows, carrying everything over', async () => {
    const handle = await start('delfshaven', PROVIDER_CHANGE, 'buurtkracht', 60);
    const { transitionId } = await status(handle);
    const firstRun = (await handle.describe()).runId;
    await handle.executeUpdate(completeTaskUpdate, { args: [{ ...as('rotterdam', 'coordinator'), taskId: 'kick-off', note: null }] });

    // Months of reminders and escalations: far more history than 60 events.
    await sleepUntil(Date.parse(startOfAmsterdamDay(goLiveDate)) - 10 * 24 * 60 * MINUTE);
    await eventually(async () => expect((await handle.describe()).runId).not.toBe(firstRun));
    const carried = await status(handle);
    expect(carried.tasks.find((task) => task.id === 'kick-off')!.status).toBe('done');
    expect(carried.state).toBe('preparing');

    // Commands reach the new run; the stream goes on without a gap and nothing was notified twice.
    const done = await handle.executeUpdate(completeTaskUpdate, {
      args: [{ ...as('welzijn-maas'), taskId: 'staff-agreements', note: null }],
    });
    expect(done.tasks.find((task) => task.id === 'staff-agreements')!.status).toBe('done');
    const stream = await eventStore.readStream(transitionId);
    expect(stream.map((event) => event.streamVersion)).toEqual(stream.map((_, i) => i + 1));
    expect(new Set(stream.map((event) => event.metadata.runId)).size).toBeGreaterThan(1);
    const notified = stream.filter((event) => event.type === 'NotificationSent').map((event) => event.data.notificationId);
    expect(notified.length).toBeGreaterThan(10);
    expect(new Set(notified).size).toBe(notified.length);
  });

  it('ends on cancel', async () => {
    const handle = await start('rozenburg', CONTINUATION, 'welzijn-maas');
    await handle.executeUpdate(cancelUpdate, { args: [{ ...as('rotterdam', 'coordinator'), reason: 'Contract withdrawn' }] });
    expect((await handle.result()).state).toBe('cancelled');
  });

  it('rejects bad commands in the validator, recording nothing', async () => {
    const handle = await start('overschie', CONTINUATION, 'welzijn-maas');
    const { transitionId, streamVersion } = await status(handle);
    const complete = (taskId: string, who: ReturnType<typeof as>) =>
      handle.executeUpdate(completeTaskUpdate, { args: [{ ...who, taskId, note: null }] });

    expect(await rejection(complete('no-such-task', as('welzijn-maas')))).toBe('NotFound');
    expect(await rejection(complete('residents-informed', as('buurtkracht')))).toBe('Forbidden');
    expect(await rejection(complete('residents-informed', as('welzijn-maas')))).toBe('Conflict'); // waits for kick-off
    expect(await rejection(handle.executeUpdate(goDecisionUpdate, { args: [{ ...as('rotterdam', 'coordinator'), reason: 'why not' }] }))).toBe('Conflict');
    expect(
      await rejection(
        handle.executeUpdate(moveGoLiveUpdate, {
          args: [{
            ...as('rotterdam', 'coordinator'), expectedGoLiveDate: goLiveDate, goLiveDate: '2020-01-01',
            goLiveAt: startOfAmsterdamDay('2020-01-01'), holidays: [], reason: 'typo', today: '2019-12-31',
          }],
        }),
      ),
    ).toBe('Invalid');
    expect((await status(handle)).streamVersion).toBe(streamVersion);
    expect(await eventTypes(transitionId)).toEqual(['TransitionPlanned']);
  });

  describe('the command core', () => {
    const lateEscalationId = (transitionId: string, taskId: string, due: string, plannedAt: number) =>
      `${transitionId}:escalation:${taskId}:${due}:late:${amsterdamDate(plannedAt)}:rotterdam`;

    it('refuses text the store cannot hold, changing nothing, and takes the next command as usual', async () => {
      const handle = await start('noord', CONTINUATION, 'welzijn-maas');
      const before = await status(handle);
      const poisoned = handle.executeUpdate(completeTaskUpdate, {
        args: [{ ...as('rotterdam', 'coordinator'), taskId: 'kick-off', note: 'held\u0000on site' }],
      });
      await expect(poisoned).rejects.toMatchObject({ cause: { type: 'Invalid', message: expect.stringContaining('note') } });
      const after = await status(handle);
      expect(after.tasks.find((task) => task.id === 'kick-off')!.status).toBe('open');
      expect(after.streamVersion).toBe(before.streamVersion);
      expect(await eventTypes(before.transitionId)).toEqual(['TransitionPlanned']);

      const done = await handle.executeUpdate(completeTaskUpdate, {
        args: [{ ...as('rotterdam', 'coordinator'), taskId: 'kick-off', note: 'Held on site' }],
      });
      expect(done.tasks.find((task) => task.id === 'kick-off')!.status).toBe('done');
      expect(await eventTypes(before.transitionId)).toEqual([
        'TransitionPlanned', 'TaskCompleted', 'MilestoneMet', 'TransitionStateChanged',
      ]);
    });

    it('records one command as one append: its events in one transaction, one after another', async () => {
      const handle = await start('kralingen', CONTINUATION, 'welzijn-maas');
      const { transitionId } = await status(handle);
      await handle.executeUpdate(completeTaskUpdate, { args: [{ ...as('rotterdam', 'coordinator'), taskId: 'kick-off', note: null }] });
      const rows = await db.admin.query(
        'SELECT type, transaction_id::text AS tx, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version',
        [transitionId],
      );
      const command = rows.slice(1);
      expect(command.map((row: { type: string }) => row.type)).toEqual(['TaskCompleted', 'MilestoneMet', 'TransitionStateChanged']);
      expect(new Set(command.map((row: { tx: string }) => row.tx)).size).toBe(1);
      expect(command.every((row: { metadata: { actor: Actor } }) => row.metadata.actor.organisation === 'rotterdam')).toBe(true);
    });

    it('lets only the first of ten identical sign-offs or cancels through', async () => {
      const handle = await start('prins-alexander', PROVIDER_CHANGE, 'buurtkracht');
      const { transitionId } = await status(handle);
      const signOffs = await Promise.all(
        Array.from({ length: 10 }, () =>
          rejection(handle.executeUpdate(signOffMilestoneUpdate, {
            args: [{ ...as('rotterdam', 'coordinator'), milestoneId: 'partners-introduced', note: null }],
          })),
        ),
      );
      expect(signOffs.filter((outcome) => outcome === undefined)).toHaveLength(1);
      expect(signOffs.filter((outcome) => outcome === 'Conflict')).toHaveLength(9);

      const cancels = await Promise.all(
        Array.from({ length: 10 }, () =>
          rejection(handle.executeUpdate(cancelUpdate, { args: [{ ...as('rotterdam', 'coordinator'), reason: 'Withdrawn' }] })),
        ),
      );
      expect(cancels.filter((outcome) => outcome === undefined)).toHaveLength(1);
      expect(cancels.filter((outcome) => outcome === 'Conflict')).toHaveLength(9);
      const types = await eventTypes(transitionId);
      expect(types.filter((type) => type === 'MilestoneSignedOff')).toHaveLength(1);
      expect(types.filter((type) => type === 'TransitionCancelled')).toHaveLength(1);
      expect((await handle.result()).state).toBe('cancelled');
    });

    it('refuses a go-live beyond ten years in the workflow itself, recording nothing', async () => {
      const handle = await start('pernis', CONTINUATION, 'welzijn-maas');
      const { transitionId, streamVersion } = await status(handle);
      expect(await rejection(handle.executeUpdate(moveGoLiveUpdate, { args: [moveTo('9999-12-22')] }))).toBe('Invalid');
      expect(await rejection(handle.executeUpdate(moveGoLiveUpdate, { args: [moveTo(addDays(goLiveDate, 11 * 366))] }))).toBe('Invalid');
      expect((await status(handle)).streamVersion).toBe(streamVersion);
      expect(await eventTypes(transitionId)).toEqual(['TransitionPlanned']);
    });

    it('fails a create it cannot record, so that a retry can create it', async () => {
      const request = { municipality: 'rotterdam', district: 'waalhaven', outgoingProvider: 'welzijn-maas', incomingProvider: 'welzijn-maas', goLiveDate };
      const input = planTransition(request, CONTINUATION, policy, coordinator, randomUUID());
      const create = () =>
        env.client.workflow.executeUpdateWithStart(transitionRegisteredUpdate, {
          startWorkflowOperation: new WithStartWorkflowOperation(transitionWorkflowV2, {
            workflowId: input.plan.transitionId,
            taskQueue,
            args: [input],
            workflowIdConflictPolicy: 'FAIL',
            workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
          }),
        });
      faults.refuse = 1_000;
      expect(await rejection(create())).toBe('Unavailable');
      expect(await eventTypes(input.plan.transitionId)).toEqual([]);
      expect((await env.client.workflow.getHandle(input.plan.transitionId).describe()).status.name).toBe('FAILED');

      faults.refuse = 0;
      expect((await create()).state).toBe('planned');
      expect(await eventTypes(input.plan.transitionId)).toEqual(['TransitionPlanned']);
    });

    it('creates a handover whose first append went through though its answer was lost, once', async () => {
      const request = { municipality: 'rotterdam', district: 'heijplaat', outgoingProvider: 'welzijn-maas', incomingProvider: 'welzijn-maas', goLiveDate };
      const input = planTransition(request, CONTINUATION, policy, coordinator, randomUUID());
      faults.lose = 1_000; // every append commits, and every answer is lost
      const created = await env.client.workflow.executeUpdateWithStart(transitionRegisteredUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(transitionWorkflowV2, {
          workflowId: input.plan.transitionId,
          taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        }),
      });
      faults.lose = 0;
      expect(created.state).toBe('planned');
      expect(await eventTypes(input.plan.transitionId)).toEqual(['TransitionPlanned']);
      expect((await env.client.workflow.getHandle(input.plan.transitionId).describe()).status.name).toBe('RUNNING');
    });

    it('answers Unavailable when the store is out of reach, applying nothing', async () => {
      const handle = await start('schiebroek', CONTINUATION, 'welzijn-maas');
      const { transitionId } = await status(handle);
      faults.refuse = 1_000;
      const outcome = await rejection(
        handle.executeUpdate(completeTaskUpdate, { args: [{ ...as('rotterdam', 'coordinator'), taskId: 'kick-off', note: null }] }),
      );
      expect(outcome).toBe('Unavailable');
      expect((await status(handle)).tasks.find((task) => task.id === 'kick-off')!.status).toBe('open');
      faults.refuse = 0;
      const done = await handle.executeUpdate(completeTaskUpdate, {
        args: [{ ...as('rotterdam', 'coordinator'), taskId: 'kick-off', note: null }],
      });
      expect(done.state).toBe('preparing');
      expect((await eventTypes(transitionId)).filter((type) => type === 'TaskCompleted')).toHaveLength(1);
    });

    it('catches up with an append whose answer was lost before it records anything else', async () => {
      const handle = await start('hillegersberg', CONTINUATION, 'welzijn-maas');
      const { transitionId } = await status(handle);
      faults.lose = 1_000;
      expect(
        await rejection(handle.executeUpdate(completeTaskUpdate, { args: [{ ...as('rotterdam', 'coordinator'), taskId: 'kick-off', note: null }] })),
      ).toBe('Unavailable');
      faults.lose = 0;
      // The store has the completion; the workflow finds it before the next command and applies it once.
      const next = await handle.executeUpdate(completeTaskUpdate, {
        args: [{ ...as('welzijn-maas'), taskId: 'assignment-agreed', note: null }],
      });
      expect(next.tasks.filter((task) => task.status === 'done').map((task) => task.id).sort()).toEqual(['assignment-agreed', 'kick-off']);
      const stream = await eventStore.readStream(transitionId);
      expect(stream.map((event) => event.streamVersion)).toEqual(stream.map((_, i) => i + 1));
      expect(stream.filter((event) => event.type === 'TaskCompleted')).toHaveLength(2);
      expect(next.streamVersion).toBe(stream.length);
    });

    it('escalates a task that is weeks overdue when go-live moves earlier, at 09:00 on the next business day', async () => {
      const handle = await start('overschie-west', CONTINUATION, 'welzijn-maas');
      const { transitionId } = await status(handle);
      // kick-off (the municipality's) falls due 60 days before go-live; wait until it is weeks overdue.
      await sleepUntil(Date.parse(startOfAmsterdamDay(addDays(goLiveDate, -30))));
      const newGoLive = addDays(goLiveDate, -20);
      const moved = await handle.executeUpdate(moveGoLiveUpdate, { args: [moveTo(newGoLive)] });
      const task = moved.tasks.find((t) => t.id === 'kick-off')!;
      expect(task.dueDate).toBe(addDays(newGoLive, -60));
      const id = lateEscalationId(transitionId, 'kick-off', task.dueDate, task.plannedAt);
      const due = calendar.nextNineAmAfter(task.plannedAt);
      await sleepUntil(due - MINUTE);
      expect(await inbox(id)).toEqual([]);
      await env.sleep(2 * MINUTE);
      await eventually(async () => expect(await inbox(id)).toEqual([expect.objectContaining({ kind: 'escalation' })]));
    });

    it('escalates a reopened task that was due weeks ago', async () => {
      const handle = await start('bergschenhoek', CONTINUATION, 'welzijn-maas');
      const { transitionId } = await status(handle);
      await handle.executeUpdate(completeTaskUpdate, { args: [{ ...as('rotterdam', 'coordinator'), taskId: 'kick-off', note: null }] });
      await sleepUntil(Date.parse(startOfAmsterdamDay(addDays(goLiveDate, -35))));
      const reopened = await handle.executeUpdate(reopenTaskUpdate, {
        args: [{ ...as('rotterdam', 'coordinator'), taskId: 'kick-off', reason: 'Minutes missing' }],
      });
      const task = reopened.tasks.find((t) => t.id === 'kick-off')!;
      const id = lateEscalationId(transitionId, 'kick-off', task.dueDate, task.plannedAt);
      await sleepUntil(calendar.nextNineAmAfter(task.plannedAt) + MINUTE);
      await eventually(async () => expect(await inbox(id)).toHaveLength(1));
    });
  });
});
