import { WithStartWorkflowOperation } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTool } from '../../src/devstack/project-tools';
import type { AppendEventsRequest } from '../../src/events/event-store.activities';
import { deterministicEventId } from '../../src/events/event-id';
import { addDays, amsterdamDate } from '../../src/time/calendar';
import { planTransition } from '../../src/transitions/plan-transition';
import {
  cancelUpdate,
  completeTaskUpdate,
  goDecisionUpdate,
  moveGoLiveUpdate,
  signOffMilestoneUpdate,
  transitionRegisteredUpdate,
} from '../../workflows/transition/definitions';
import { transitionWorkflowV2 } from '../../workflows/transition/workflow';
import { startOfAmsterdamDay } from '../../src/time/amsterdam';
import { holidaysUntil } from '../../src/transitions/plan-transition';
import { CONTINUATION, PROVIDER_CHANGE } from '../support/plans';
import { startTimeSkippingServer } from '../support/temporal';

/**
 * `npm run histories:record`: runs typical handovers on the time-skipping server and writes
 * their histories (protobuf) to test/fixtures/histories, for the replay test. Activities are stand-ins:
 * a history holds their results, and replay never runs them. Record again when a release
 * changes the workflow, and keep the old files: they are the runs still in flight.
 */
async function main(): Promise<void> {
  process.env.TEMPORAL_TEST_SERVER = await ensureTool('temporal-test-server', {
    explicit: process.env.TEMPORAL_TEST_SERVER,
  });
  const label = process.argv[2] ?? 'current';
  const env = await startTimeSkippingServer();
  try {
    await record(env, label);
  } finally {
    await env.teardown();
  }
}

async function record(env: TestWorkflowEnvironment, label: string): Promise<void> {
  const taskQueue = 'record-histories';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../../workflows'),
    activities: {
      appendEvents: async (request: AppendEventsRequest) => ({
        eventIds: request.events.map((_, i) => deterministicEventId(request.streamId, request.expectedVersion + i + 1)),
        streamVersion: request.expectedVersion + request.events.length,
      }),
      streamHead: async () => ({ version: 0, eventId: null }),
      sendNotification: async () => undefined,
    },
  });
  const policy = { reminderOffsetsDays: [7, 1], goLiveReminderOffsetsDays: [7, 1], escalationAfterDays: 2 };
  const coordinator = { actor: { user: 'coordinator', organisation: 'rotterdam', role: 'coordinator' }, actingFor: ['rotterdam'] };
  const provider = (organisation: string) => ({ actor: { user: organisation, organisation, role: 'provider' }, actingFor: [organisation] });

  await worker.runUntil(async () => {
    const goLiveDate = addDays(amsterdamDate(await env.currentTimeMs()), 200);
    const begin = async (district: string, template = PROVIDER_CHANGE, incoming = 'buurtkracht') => {
      const request = { municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: incoming, goLiveDate };
      const input = planTransition(request, template, policy, coordinator.actor, randomUUID());
      await env.client.workflow.executeUpdateWithStart(transitionRegisteredUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(transitionWorkflowV2, {
          workflowId: input.plan.transitionId, taskQueue, args: [input], workflowIdConflictPolicy: 'FAIL',
        }),
      });
      return env.client.workflow.getHandle<typeof transitionWorkflowV2>(input.plan.transitionId);
    };

    // A provider change through the gate (at risk, go anyway) to its close.
    const change = await begin('feijenoord');
    await change.executeUpdate(completeTaskUpdate, { args: [{ ...coordinator, taskId: 'kick-off', note: null }] });
    await change.executeUpdate(completeTaskUpdate, { args: [{ ...provider('welzijn-maas'), taskId: 'client-list', note: null }] });
    // A continuation moved once, then cancelled.
    const moved = await begin('hoogvliet', CONTINUATION, 'welzijn-maas');
    const newGoLive = addDays(goLiveDate, 30);
    await moved.executeUpdate(moveGoLiveUpdate, {
      args: [{
        ...coordinator, expectedGoLiveDate: goLiveDate, goLiveDate: newGoLive, goLiveAt: startOfAmsterdamDay(newGoLive),
        holidays: holidaysUntil(newGoLive), reason: 'later', today: '2000-01-01',
      }],
    });
    await env.sleep(Date.parse(startOfAmsterdamDay(goLiveDate)) + 60_000 - (await env.currentTimeMs()));
    await change.executeUpdate(goDecisionUpdate, { args: [{ ...coordinator, reason: 'Safe to start' }] });
    await change.executeUpdate(signOffMilestoneUpdate, { args: [{ ...coordinator, milestoneId: 'evaluated', note: null }] });
    await change.result();
    await moved.executeUpdate(cancelUpdate, { args: [{ ...coordinator, reason: 'Withdrawn' }] });
    await moved.result();

    for (const [name, handle] of [['provider-change', change], ['continuation-moved-cancelled', moved]] as const) {
      const file = join(__dirname, '..', 'fixtures', 'histories', `${label}-${name}.binpb`);
      writeFileSync(file, temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
      console.log(`wrote ${file}`);
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
