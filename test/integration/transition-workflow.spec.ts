import { WithStartWorkflowOperation } from '@temporalio/client';
import { MockActivityEnvironment, TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { EventStore } from '../../src/events/event-store.service';
import { activitiesOf } from '../../src/temporal/temporal-worker.service';
import { TransitionActivities } from '../../src/transitions/transition.activities';
import { TransitionSummary } from '../../src/transitions/transition-summary.entity';
import { TransitionStart, transitionRegisteredUpdate, transitionStatusQuery } from '../../workflows/transition.definitions';
import { transitionWorkflow } from '../../workflows/transition.workflow';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventStoreFor } from '../support/event-store';
import { planFor } from '../support/plans';
import { startTimeSkippingServer } from '../support/temporal';

const DAY = 24 * 60 * 60 * 1000;
const taskQueue = 'transition-workflow-test';
const coordinator = { user: 'coordinator-1', organisation: 'rotterdam', role: 'coordinator' };

describe('transitionWorkflow (time-skipping server, real PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let eventStore: EventStore;
  let activities: TransitionActivities;

  beforeAll(async () => {
    [env, db] = await Promise.all([startTimeSkippingServer(), createTestDatabase()]);
    eventStore = eventStoreFor(db.app);
    activities = new TransitionActivities(eventStore);
  });
  afterAll(async () => {
    await env?.teardown();
    await db?.drop();
  });

  const summary = (transitionId: string) => db.app.getRepository(TransitionSummary).findOneBy({ transitionId });

  async function runWorker<T>(body: () => Promise<T>): Promise<T> {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: activitiesOf(activities),
    });
    return worker.runUntil(body);
  }

  it('records the plan, stays planned until the go-live day starts in Amsterdam, then goes live', async () => {
    const plan = planFor('feijenoord');
    const start: TransitionStart = { plan, requestedBy: coordinator, correlationId: randomUUID() };
    await runWorker(async () => {
      const status = await env.client.workflow.executeUpdateWithStart(transitionRegisteredUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(transitionWorkflow, {
          workflowId: plan.transitionId,
          taskQueue,
          args: [start],
          workflowIdConflictPolicy: 'FAIL',
        }),
      });
      expect(status).toEqual({ ...plan, state: 'planned' });
      expect(await summary(plan.transitionId)).toMatchObject({ state: 'planned', goLiveDate: plan.goLiveDate });

      const handle = env.client.workflow.getHandle(plan.transitionId);
      await env.sleep(Date.parse(plan.goLiveAt) - (await env.currentTimeMs()) - DAY);
      expect((await handle.query(transitionStatusQuery)).state).toBe('planned');

      const final = await handle.result();
      expect(final.state).toBe('live');
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(Date.parse(plan.goLiveAt));
      expect(await summary(plan.transitionId)).toMatchObject({ state: 'live' });
    });

    const [planned, wentLive, ...more] = await eventStore.readStream(plan.transitionId);
    expect(more).toEqual([]);
    expect(planned).toMatchObject({
      type: 'TransitionPlanned',
      streamVersion: 1,
      data: plan,
      previousHash: null,
      metadata: { actor: coordinator, correlationId: start.correlationId, causationId: null, workflowId: plan.transitionId },
    });
    expect(wentLive).toMatchObject({
      type: 'TransitionWentLive',
      streamVersion: 2,
      previousHash: planned.hash,
      metadata: { actor: { user: 'system', role: 'system' }, causationId: planned.eventId },
    });
  });

  it('appends once however often the activity is retried, with the same event ids', async () => {
    const plan = planFor('charlois');
    const request = {
      streamId: plan.transitionId,
      expectedVersion: 0,
      correlationId: randomUUID(),
      events: [{ type: 'TransitionPlanned', schemaVersion: 1, data: { ...plan }, actor: coordinator, causationId: null }],
    };
    const activityEnv = new MockActivityEnvironment({
      workflowExecution: { workflowId: plan.transitionId, runId: randomUUID() },
    });
    const first = await activityEnv.run(activities.appendTransitionEvents.bind(activities), request);
    const retry = await activityEnv.run(activities.appendTransitionEvents.bind(activities), request);
    expect(retry).toEqual(first);
    expect(await eventStore.readStream(plan.transitionId)).toHaveLength(1);
    expect(await db.app.getRepository(TransitionSummary).countBy({ transitionId: plan.transitionId })).toBe(1);
  });
});
