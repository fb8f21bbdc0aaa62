import { ConfigService } from '@nestjs/config';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientTransferProjection } from '../../src/clients/client-transfer.projection';
import { transferIdOf } from '../../src/clients/client.events';
import { ClientImportService } from '../../src/clients/import/client-import.service';
import { ClientVault } from '../../src/clients/vault/client-vault';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { Mailer } from '../../src/notifications/mailer.service';
import { TaskProjection } from '../../src/tasks/task.projection';
import { createActivities } from '../../src/temporal/activities';
import { planTransition } from '../../src/transitions/plan-transition';
import { TransitionSummaryProjection } from '../../src/transitions/transition-summary.projection';
import { clientImportWorkflowId } from '../../workflows/client-import/workflow';
import { endTransferUpdate } from '../../workflows/client-transfer/definitions';
import { transitionRegisteredUpdate, TransitionStatus, transitionStatusQuery } from '../../workflows/transition/definitions';
import { transitionWorkflowV2 } from '../../workflows/transition/workflow';
import { seedOrganisations } from '../support/access';
import { clientList, providerUser } from '../support/client-lists';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventStoreFor } from '../support/event-store';
import { eventually } from '../support/eventually';
import { goLiveInDays, PROVIDER_CHANGE_V2 } from '../support/plans';
import { startTemporalDevServer } from '../support/temporal';

const CLIENTS = 5_000;
const taskQueue = 'client-transfers-at-scale';
const outgoing = providerUser('welzijn-maas');

/**
 * The handover's history stays bounded with thousands of clients: each transfer is a workflow
 * of its own (not a child), the import tells the handover twice (start, end), and transfers
 * that finish tell it only when none is left open. 5,000 clients, a real Temporal dev server.
 */
describe('a handover with 5,000 client transfers', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let sink: SmtpSink;
  let worker: Worker;
  let running: Promise<void>;
  const erasureLog = join(tmpdir(), `client-erasures-${randomUUID()}.log`);

  beforeAll(async () => {
    [env, db, sink] = await Promise.all([startTemporalDevServer(), createTestDatabase(), SmtpSink.start(0)]);
    await seedOrganisations(db.admin);
    const masterKey = randomBytes(32);
    const vault = new ClientVault(masterKey, db.app);
    const eventStore = eventStoreFor(db.app, [new TransitionSummaryProjection(), new TaskProjection(), new ClientTransferProjection(vault)]);
    const mailer = new Mailer(new ConfigService({ SMTP_URL: sink.url, MAIL_FROM: 'Overdracht <test@overdracht.invalid>' }));
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: createActivities({ eventStore, dataSource: db.app, mailer, temporal: env.client, erasureLogFile: erasureLog, taskQueue }),
      maxCachedWorkflows: 1_000,
      shutdownGraceTime: '5 seconds',
    });
    running = worker.run();
    imports = new ClientImportService(
      env.client,
      new ConfigService({
        TEMPORAL_TASK_QUEUE: taskQueue,
        CLIENT_DATA_MASTER_KEY: masterKey.toString('base64'),
        TRANSFER_CONSENT_ANSWER_BUSINESS_DAYS: 10,
        TRANSFER_FILE_AFTER_CONSENT_BUSINESS_DAYS: 5,
        TRANSFER_INTAKE_AFTER_FILE_BUSINESS_DAYS: 5,
        CLIENT_DATA_RETENTION_DAYS: 90,
      }),
      vault,
      db.app,
    );
  }, 120_000);
  let imports: ClientImportService;

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await sink?.stop();
    await db?.drop();
    await rm(erasureLog, { force: true });
  }, 120_000);

  it('lists, finishes and checks them all with a few dozen events in the handover', async () => {
    const request = { municipality: 'rotterdam', district: 'feijenoord', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate: goLiveInDays(150) };
    const policy = { reminderOffsetsDays: [7, 1], goLiveReminderOffsetsDays: [7, 1], escalationAfterDays: 2, clientEscalationBusinessDays: 10 };
    const input = planTransition(request, PROVIDER_CHANGE_V2, policy, { user: 'c', organisation: 'rotterdam', role: 'coordinator' }, randomUUID());
    const { transitionId } = input.plan;
    await env.client.workflow.executeUpdateWithStart(transitionRegisteredUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation(transitionWorkflowV2, { workflowId: transitionId, taskQueue, args: [input], workflowIdConflictPolicy: 'FAIL' }),
    });
    const district = env.client.workflow.getHandle(transitionId);

    const progress = await imports.import(transitionId, outgoing, clientList(CLIENTS), randomUUID());
    expect(progress).toMatchObject({ clients: CLIENTS, newClients: CLIENTS, state: 'running' });
    await env.client.workflow.getHandle(clientImportWorkflowId(transitionId, progress.importId)).result();
    const pseudonyms: string[] = (await db.app.query('SELECT pseudonym FROM client_transfers WHERE transition_id = $1', [transitionId])).map(
      (row: { pseudonym: string }) => row.pseudonym,
    );
    expect(pseudonyms).toHaveLength(CLIENTS);
    expect(((await district.query(transitionStatusQuery)) as TransitionStatus).clients).toEqual({ runningImports: [], total: CLIENTS, open: CLIENTS });

    const actor = { actor: { user: outgoing.username, organisation: outgoing.organisation, role: 'provider' }, actingFor: outgoing.actingFor };
    for (let index = 0; index < pseudonyms.length; index += 50) {
      await Promise.all(
        pseudonyms.slice(index, index + 50).map((pseudonym) =>
          env.client.workflow.getHandle(transferIdOf(transitionId, pseudonym)).executeUpdate(endTransferUpdate, { args: [{ ...actor, reason: 'moved-away' }] }),
        ),
      );
    }
    await eventually(async () => {
      const status: TransitionStatus = await district.query(transitionStatusQuery);
      expect(status.milestones.find((m) => m.id === 'clients-transferred')!.met).toBe(true);
    }, 60_000);

    const events: Array<{ type: string }> = await db.app.query('SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version', [transitionId]);
    const count = (type: string) => events.filter((event) => event.type === type).length;
    expect([count('ClientImportStarted'), count('ClientImportFinished'), count('MilestoneMet')]).toEqual([1, 1, 1]);
    // Transfers finishing at the same moment may each find none left open: a handful of checks, never one per client.
    expect(count('ClientTransfersCounted')).toBeLessThanOrEqual(3);
    const history = await district.fetchHistory();
    expect(history.events!.length).toBeLessThan(150);
  }, 900_000);
});
