import { ConfigService } from '@nestjs/config';
import { WithStartWorkflowOperation, WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientTransferProjection } from '../../src/clients/client-transfer.projection';
import { transferIdOf } from '../../src/clients/client.events';
import { ClientImportService } from '../../src/clients/import/client-import.service';
import { ClientVault } from '../../src/clients/vault/client-vault';
import { SmtpSink } from '../../src/devstack/smtp-sink';
import { EventStore } from '../../src/events/event-store.service';
import { Mailer } from '../../src/notifications/mailer.service';
import { createActivities } from '../../src/temporal/activities';
import { addDays, amsterdamDate, BusinessCalendar } from '../../src/time/calendar';
import { dutchPublicHolidays } from '../../src/time/dutch-holidays';
import { planTransition } from '../../src/transitions/plan-transition';
import { TaskProjection } from '../../src/tasks/task.projection';
import { TransitionSummaryProjection } from '../../src/transitions/transition-summary.projection';
import { clientImportWorkflowId } from '../../workflows/client-import/workflow';
import {
  endTransferUpdate,
  informClientUpdate,
  recordConsentUpdate,
  transferFileUpdate,
  transferStatusQuery,
} from '../../workflows/client-transfer/definitions';
import { clientTransferWorkflow } from '../../workflows/client-transfer/workflow';
import { transitionRegisteredUpdate, TransitionStatus, transitionStatusQuery } from '../../workflows/transition/definitions';
import { transitionWorkflowV2 } from '../../workflows/transition/workflow';
import { seedOrganisations } from '../support/access';
import { clientList, providerUser } from '../support/client-lists';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventStoreFor } from '../support/event-store';
import { eventually } from '../support/eventually';
import { PROVIDER_CHANGE_V2 } from '../support/plans';
import { startTimeSkippingServer } from '../support/temporal';

const MINUTE = 60_000;
const taskQueue = 'client-transfers-test';
const policy = { reminderOffsetsDays: [7, 1], goLiveReminderOffsetsDays: [7, 1], escalationAfterDays: 2, clientEscalationBusinessDays: 10 };
const coordinator = { user: 'coordinator', organisation: 'rotterdam', role: 'coordinator' };
const outgoing = providerUser('welzijn-maas');
const incoming = providerUser('buurtkracht');
const by = (user: typeof outgoing) => ({ actor: { user: user.username, organisation: user.organisation, role: 'provider' }, actingFor: user.actingFor });

/**
 * Client transfers in time: stall reminders at 09:00 on Dutch business days, the escalation
 * before go-live, the gate, retention ending in erasure, and the handover's client milestone
 * as a check on data. The time-skipping server, a real PostgreSQL and a real SMTP server.
 */
describe('client transfer workflows in time', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let sink: SmtpSink;
  let worker: Worker;
  let running: Promise<void>;
  let eventStore: EventStore;
  let vault: ClientVault;
  let imports: ClientImportService;
  const erasureLog = join(tmpdir(), `client-erasures-${randomUUID()}.log`);
  let goLiveDate: string;
  let calendar: BusinessCalendar;

  beforeAll(async () => {
    [env, db, sink] = await Promise.all([startTimeSkippingServer(), createTestDatabase(), SmtpSink.start(0)]);
    await seedOrganisations(db.admin);
    const masterKey = randomBytes(32);
    vault = new ClientVault(masterKey, db.app);
    eventStore = eventStoreFor(db.app, [new TransitionSummaryProjection(), new TaskProjection(), new ClientTransferProjection(vault)]);
    const config = new ConfigService({
      TEMPORAL_TASK_QUEUE: taskQueue,
      CLIENT_DATA_MASTER_KEY: masterKey.toString('base64'),
      TRANSFER_CONSENT_ANSWER_BUSINESS_DAYS: 10,
      TRANSFER_FILE_AFTER_CONSENT_BUSINESS_DAYS: 5,
      TRANSFER_INTAKE_AFTER_FILE_BUSINESS_DAYS: 5,
      CLIENT_DATA_RETENTION_DAYS: 90,
    });
    imports = new ClientImportService(env.client, config, vault, db.app);
    const mailer = new Mailer(new ConfigService({ SMTP_URL: sink.url, MAIL_FROM: 'Overdracht <test@overdracht.invalid>' }));
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: createActivities({ eventStore, dataSource: db.app, mailer, temporal: env.client, erasureLogFile: erasureLog, taskQueue }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await sink?.stop();
    await db?.drop();
    await rm(erasureLog, { force: true });
  });

  beforeEach(async () => {
    goLiveDate = addDays(amsterdamDate(await env.currentTimeMs()), 120);
    calendar = new BusinessCalendar(dutchPublicHolidays('2026-01-01', addDays(goLiveDate, 365)));
  });

  async function handover(district: string): Promise<WorkflowHandle<typeof transitionWorkflowV2>> {
    const request = { municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate };
    const input = planTransition(request, PROVIDER_CHANGE_V2, policy, coordinator, randomUUID());
    await env.client.workflow.executeUpdateWithStart(transitionRegisteredUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation(transitionWorkflowV2, {
        workflowId: input.plan.transitionId,
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
      }),
    });
    return env.client.workflow.getHandle(input.plan.transitionId);
  }

  /** Imports a list through the service, as the route does, and waits for its workflow to list every new client. */
  async function importList(transitionId: string, file: Buffer) {
    const progress = await imports.import(transitionId, outgoing, file, randomUUID());
    if (progress.state === 'running') await env.client.workflow.getHandle(clientImportWorkflowId(transitionId, progress.importId)).result();
    return progress;
  }

  const pseudonymsOf = async (transitionId: string): Promise<string[]> =>
    (await db.app.query('SELECT pseudonym FROM client_transfers WHERE transition_id = $1 ORDER BY pseudonym', [transitionId])).map(
      (row: { pseudonym: string }) => row.pseudonym,
    );
  const transfer = (transitionId: string, pseudonym: string) => env.client.workflow.getHandle<typeof clientTransferWorkflow>(transferIdOf(transitionId, pseudonym));
  const eventTypes = async (streamId: string) => (await eventStore.readStream(streamId)).map((event) => event.type);
  const status = (handle: WorkflowHandle): Promise<TransitionStatus> => handle.query(transitionStatusQuery);
  const sleepUntil = async (at: number) => env.sleep(at - (await env.currentTimeMs()));
  const inbox = (id: string) => db.app.query('SELECT organisation, kind FROM notifications WHERE id = $1', [id]);
  const today = async () => amsterdamDate(await env.currentTimeMs());

  it('lists every client once, also when the list comes again, and meets the client milestone when every transfer has finished', async () => {
    const district = await handover('feijenoord');
    const { transitionId } = await status(district);
    const first = await importList(transitionId, clientList(12));
    expect(first).toMatchObject({ clients: 12, newClients: 12 });
    const again = await importList(transitionId, clientList(12));
    expect(again.importId).toBe(first.importId);
    const overlapping = await importList(transitionId, clientList(12, { marker: 'Other' }));
    expect(overlapping).toMatchObject({ clients: 12, newClients: 0, state: 'finished' });

    const pseudonyms = await pseudonymsOf(transitionId);
    expect(pseudonyms).toHaveLength(12);
    expect((await status(district)).clients).toEqual({ runningImports: [], total: 12, open: 12 });
    expect(milestone(await status(district))).toBe(false);

    const day = await today();
    await transfer(transitionId, pseudonyms[0]).executeUpdate(informClientUpdate, { args: [{ ...by(outgoing), date: day, channel: 'letter' }] });
    await transfer(transitionId, pseudonyms[0]).executeUpdate(recordConsentUpdate, { args: [{ ...by(outgoing), given: false, date: day }] });
    await Promise.all(
      pseudonyms.slice(1).map((p) => transfer(transitionId, p).executeUpdate(endTransferUpdate, { args: [{ ...by(incoming), reason: 'moved-away' }] })),
    );
    await eventually(async () => expect(milestone(await status(district))).toBe(true));
    const types = await eventTypes(transitionId);
    expect(types.slice(-2)).toEqual(['ClientTransfersCounted', 'MilestoneMet']);
    expect(types.filter((type) => type === 'ClientTransfersCounted')).toHaveLength(1);

    // A new client reopens it; the handover heard of the import, not of each client.
    await importList(transitionId, clientList(1, { first: 100 }));
    const reopened = await status(district);
    expect(milestone(reopened)).toBe(false);
    expect(reopened.clients).toEqual({ runningImports: [], total: 13, open: 1 });
    expect(types.length).toBeLessThan(20);
  });

  it('reminds the provider whose move it is when a step stalls, at 09:00 on the business day the policy names', async () => {
    const district = await handover('charlois');
    const { transitionId } = await status(district);
    await importList(transitionId, clientList(1, { first: 200 }));
    const [pseudonym] = await pseudonymsOf(transitionId);
    const handle = transfer(transitionId, pseudonym);

    const informedOn = await today();
    await handle.executeUpdate(informClientUpdate, { args: [{ ...by(outgoing), date: informedOn, channel: 'phone' }] });
    const consentReminder = `${transferIdOf(transitionId, pseudonym)}:stall:informed:${informedOn}`;
    const consentDue = BusinessCalendar.nineAm(calendar.addBusinessDays(informedOn, 10));
    await sleepUntil(consentDue - MINUTE);
    expect(await inbox(consentReminder)).toEqual([]);
    await env.sleep(2 * MINUTE);
    await eventually(async () => expect(await inbox(consentReminder)).toEqual([{ organisation: 'welzijn-maas', kind: 'transfer-stalled' }]));

    const consentOn = await today();
    await handle.executeUpdate(recordConsentUpdate, { args: [{ ...by(outgoing), given: true, date: consentOn }] });
    const fileReminder = `${transferIdOf(transitionId, pseudonym)}:stall:consent-given:${consentOn}`;
    await sleepUntil(BusinessCalendar.nineAm(calendar.addBusinessDays(consentOn, 5)) + MINUTE);
    await eventually(async () => expect(await inbox(fileReminder)).toEqual([{ organisation: 'welzijn-maas', kind: 'transfer-stalled' }]));

    const fileOn = await today();
    await handle.executeUpdate(transferFileUpdate, { args: [{ ...by(outgoing), fileId: randomUUID(), mediaType: 'application/pdf', bytes: 1234 }] });
    const intakeReminder = `${transferIdOf(transitionId, pseudonym)}:stall:file-transferred:${fileOn}`;
    await sleepUntil(BusinessCalendar.nineAm(calendar.addBusinessDays(fileOn, 5)) + MINUTE);
    await eventually(async () => expect(await inbox(intakeReminder)).toEqual([{ organisation: 'buurtkracht', kind: 'transfer-stalled' }]));

    const reminders = (await eventStore.readStream(transferIdOf(transitionId, pseudonym))).filter((e) => e.type === 'TransferReminderSent');
    expect(reminders.map((e) => e.data.step)).toEqual(['informed', 'consent-given', 'file-transferred']);
    // Codes and the pseudonym only: nothing of the person's list reached the mail.
    expect(sink.received.filter((mail) => mail.text.includes(pseudonym)).some((mail) => /Jansen/.test(mail.text + mail.subject))).toBe(false);
  });

  it('escalates unfinished transfers 10 business days before go-live and puts the handover at risk at go-live', async () => {
    const district = await handover('ijsselmonde');
    const { transitionId } = await status(district);
    await importList(transitionId, clientList(3, { first: 300 }));
    const escalation = `${transitionId}:client-transfers-escalation:${goLiveDate}:rotterdam`;
    const escalateAt = BusinessCalendar.nineAm(calendar.addBusinessDays(goLiveDate, -10));
    await sleepUntil(escalateAt - MINUTE);
    expect(await inbox(escalation)).toEqual([]);
    await env.sleep(2 * MINUTE);
    await eventually(async () => expect(await inbox(escalation)).toEqual([{ organisation: 'rotterdam', kind: 'client-transfers-escalation' }]));

    await sleepUntil(Date.parse((await status(district)).plan.goLiveAt) + MINUTE);
    await eventually(async () => {
      const atGate = await status(district);
      expect(atGate.atRisk).toBe(true);
    });
    const atRisk = (await eventStore.readStream(transitionId)).find((event) => event.type === 'TransitionAtRisk');
    expect(atRisk?.data.unmetMilestones).toContain('clients-transferred');
  });

  it('erases personal data when retention runs out after the transfer finished: key gone, erasure logged, the workflow done', async () => {
    const district = await handover('hillegersberg-schiebroek');
    const { transitionId } = await status(district);
    await importList(transitionId, clientList(1, { first: 400 }));
    const [pseudonym] = await pseudonymsOf(transitionId);
    const handle = transfer(transitionId, pseudonym);
    await handle.executeUpdate(endTransferUpdate, { args: [{ ...by(outgoing), reason: 'support-no-longer-needed' }] });
    expect((await vault.personalData([pseudonym])).get(pseudonym)).not.toBe('erased');

    const eraseAt = BusinessCalendar.nineAm(addDays(goLiveDate, 90));
    await sleepUntil(eraseAt - MINUTE);
    expect((await handle.query(transferStatusQuery)).erased).toBe(false);
    await env.sleep(2 * MINUTE);
    await handle.result();
    expect((await vault.personalData([pseudonym])).get(pseudonym)).toBe('erased');
    expect(await db.app.query('SELECT 1 FROM client_keys WHERE pseudonym = $1', [pseudonym])).toEqual([]);
    const erased = (await eventStore.readStream(transferIdOf(transitionId, pseudonym))).find((e) => e.type === 'PersonalDataErased');
    expect(erased?.data).toEqual({ pseudonym, reason: 'retention' });
    const log = (await readFile(erasureLog, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(log).toContainEqual(expect.objectContaining({ pseudonym, transitionId, reason: 'retention' }));
  });
});

function milestone(status: TransitionStatus): boolean {
  return status.milestones.find((m) => m.id === 'clients-transferred')!.met;
}
