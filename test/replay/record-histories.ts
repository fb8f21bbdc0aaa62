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
  checkClientTransfersUpdate,
  clientImportFinishedUpdate,
  clientImportStartedUpdate,
  completeTaskUpdate,
  goDecisionUpdate,
  moveGoLiveUpdate,
  signOffMilestoneUpdate,
  transitionRegisteredUpdate,
} from '../../workflows/transition/definitions';
import { transitionWorkflowV2 } from '../../workflows/transition/workflow';
import { startOfAmsterdamDay } from '../../src/time/amsterdam';
import { holidaysUntil } from '../../src/transitions/plan-transition';
import { CONTINUATION, PROVIDER_CHANGE, PROVIDER_CHANGE_V2 } from '../support/plans';
import { transferIdOf } from '../../src/clients/client.events';
import { clientImportWorkflow, clientImportWorkflowId } from '../../workflows/client-import/workflow';
import {
  acceptTransferUpdate,
  informClientUpdate,
  planIntakeUpdate,
  recordConsentUpdate,
  recordDownloadUpdate,
  transferFileUpdate,
  transferListedUpdate,
  transferStatusQuery,
} from '../../workflows/client-transfer/definitions';
import { clientTransferWorkflow } from '../../workflows/client-transfer/workflow';
import { startTimeSkippingServer } from '../support/temporal';
import { recordCampaignHistories } from './record-campaign-histories';

/**
 * `npm run histories:record -- <label>`: runs typical handovers on the time-skipping server and writes
 * their histories (protobuf) to test/fixtures/histories, for the replay test. Activities are stand-ins:
 * a history holds their results, and replay never runs them. Then a resident campaign from draft
 * to completed, with the real activities on a service stack (record-campaign-histories.ts; it needs
 * PostgreSQL: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres). Record again when
 * a release changes the workflow, and keep the old files: they are the runs still in flight.
 * `-- <label> campaigns` records the campaign's histories only.
 */
async function main(): Promise<void> {
  process.env.TEMPORAL_TEST_SERVER = await ensureTool('temporal-test-server', {
    explicit: process.env.TEMPORAL_TEST_SERVER,
  });
  process.env.TEMPORAL_CLI = await ensureTool('temporal', { explicit: process.env.TEMPORAL_CLI });
  process.env.TEST_POSTGRES_SERVER_URL ??= process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const label = process.argv[2] ?? 'current';
  if (process.argv[3] !== 'campaigns') {
    const env = await startTimeSkippingServer();
    try {
      await record(env, label);
    } finally {
      await env.teardown();
    }
  }
  await recordCampaignHistories(label, join(__dirname, '..', 'fixtures', 'histories'));
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
      clientTransferCounts: async () => ({ total: 1, open: openTransfers }),
      handoverGoLive: async () => null,
      transferFinished: async () => undefined,
      logErasure: async () => undefined,
      clientImportStarted: async () => undefined,
      startTransfers: async () => undefined,
      clientImportFinished: async () => undefined,
    },
  });
  let openTransfers = 1;
  const policy = { reminderOffsetsDays: [7, 1], goLiveReminderOffsetsDays: [7, 1], escalationAfterDays: 2, clientEscalationBusinessDays: 10 };
  const coordinator = { actor: { user: 'coordinator', organisation: 'rotterdam', role: 'coordinator' }, actingFor: ['rotterdam'] };
  const provider = (organisation: string) => ({ actor: { user: organisation, organisation, role: 'provider' }, actingFor: [organisation] });

  await worker.runUntil(async () => {
    const goLiveDate = addDays(amsterdamDate(await env.currentTimeMs()), 200);
    const begin = async (district: string, template = PROVIDER_CHANGE, incoming = 'buurtkracht', goLive = goLiveDate) => {
      const request = { municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: incoming, goLiveDate: goLive };
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

    // Client transfers: an import (its workflow), the handover told of it, one client through every step to its erasure.
    const clientsGoLive = addDays(amsterdamDate(await env.currentTimeMs()), 200);
    const withClients = await begin('charlois', PROVIDER_CHANGE_V2, 'buurtkracht', clientsGoLive);
    const importId = randomUUID();
    const imported = await env.client.workflow.start(clientImportWorkflow, {
      workflowId: clientImportWorkflowId(withClients.workflowId, importId),
      taskQueue,
      args: [{ importId, transitionId: withClients.workflowId, clients: 450, transfer: transferTemplate(withClients.workflowId, clientsGoLive) }],
    });
    await imported.result();
    await withClients.executeUpdate(clientImportStartedUpdate, { args: [{ importId }] });
    await withClients.executeUpdate(clientImportFinishedUpdate, { args: [{ importId }] });
    const pseudonym = '0123456789abcdef0123';
    await env.client.workflow.executeUpdateWithStart(transferListedUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation(clientTransferWorkflow, {
        workflowId: transferIdOf(withClients.workflowId, pseudonym),
        taskQueue,
        args: [{ ...transferTemplate(withClients.workflowId, clientsGoLive), importId, pseudonym, targetGroup: 'ouderen' }],
        workflowIdConflictPolicy: 'FAIL',
      }),
    });
    const client = env.client.workflow.getHandle<typeof clientTransferWorkflow>(transferIdOf(withClients.workflowId, pseudonym));
    const day = amsterdamDate(await env.currentTimeMs());
    const outgoing = provider('welzijn-maas');
    const incoming = provider('buurtkracht');
    await client.executeUpdate(informClientUpdate, { args: [{ ...outgoing, date: day, channel: 'letter' }] });
    await env.sleep(15 * 24 * 3_600_000); // the consent reminder
    await client.executeUpdate(recordConsentUpdate, { args: [{ ...outgoing, given: true, date: day }] });
    await client.executeUpdate(transferFileUpdate, { args: [{ ...outgoing, fileId: randomUUID(), mediaType: 'application/pdf', bytes: 2048 }] });
    await client.executeUpdate(recordDownloadUpdate, { args: [{ ...incoming, fileId: (await client.query(transferStatusQuery)).file!.fileId }] });
    await client.executeUpdate(planIntakeUpdate, { args: [{ ...incoming, date: day }] });
    await client.executeUpdate(acceptTransferUpdate, { args: [{ ...incoming, date: amsterdamDate(await env.currentTimeMs()) }] });
    openTransfers = 0;
    await withClients.executeUpdate(checkClientTransfersUpdate);
    await env.sleep(Date.parse(startOfAmsterdamDay(addDays(clientsGoLive, 100))) - (await env.currentTimeMs())); // retention: erased
    await client.result();

    for (const [name, handle] of [
      ['provider-change', change],
      ['continuation-moved-cancelled', moved],
      ['provider-change-with-clients', withClients],
      ['client-import', imported],
      ['client-transfer', client],
    ] as const) {
      const file = join(__dirname, '..', 'fixtures', 'histories', `${label}-${name}.binpb`);
      writeFileSync(file, temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
      console.log(`wrote ${file}`);
    }
  });
}

function transferTemplate(transitionId: string, goLiveDate: string) {
  return {
    handover: { transitionId, municipality: 'rotterdam', district: 'charlois', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate },
    policy: { consentAnswerBusinessDays: 10, fileAfterConsentBusinessDays: 5, intakeAfterFileBusinessDays: 5, retentionDays: 90 },
    holidays: holidaysUntil(goLiveDate),
    requestedBy: { user: 'welzijn-maas', organisation: 'welzijn-maas', role: 'provider' },
    correlationId: randomUUID(),
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
