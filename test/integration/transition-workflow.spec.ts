import { WithStartWorkflowOperation } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { activitiesOf } from '../../src/temporal/temporal-worker.service';
import { TransitionActivities } from '../../src/transitions/transition.activities';
import { TransitionSummary } from '../../src/transitions/transition-summary.entity';
import { transitionRegisteredUpdate, transitionStatusQuery } from '../../workflows/transition.definitions';
import { transitionWorkflow } from '../../workflows/transition.workflow';
import { createTestDatabase, TestDatabase } from '../support/database';
import { planFor } from '../support/plans';
import { startTimeSkippingServer } from '../support/temporal';

const DAY = 24 * 60 * 60 * 1000;
const taskQueue = 'transition-workflow-test';

describe('transitionWorkflow (time-skipping server, real PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let activities: TransitionActivities;

  beforeAll(async () => {
    [env, db] = await Promise.all([startTimeSkippingServer(), createTestDatabase()]);
    activities = new TransitionActivities(db.dataSource);
  });
  afterAll(async () => {
    await env?.teardown();
    await db?.drop();
  });

  const summary = (transitionId: string) => db.dataSource.getRepository(TransitionSummary).findOneBy({ transitionId });

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
    await runWorker(async () => {
      const status = await env.client.workflow.executeUpdateWithStart(transitionRegisteredUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(transitionWorkflow, {
          workflowId: plan.transitionId,
          taskQueue,
          args: [plan],
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
  });

  it('records a plan once, however often the activity is retried', async () => {
    const plan = planFor('charlois');
    await activities.recordTransitionPlanned(plan);
    await activities.recordTransitionPlanned({ ...plan, incomingProvider: 'someone-else' });
    const rows = await db.dataSource.getRepository(TransitionSummary).findBy({ transitionId: plan.transitionId });
    expect(rows).toHaveLength(1);
    expect(rows[0].incomingProvider).toBe(plan.incomingProvider);
  });
});
