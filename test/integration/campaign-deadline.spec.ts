import { Context } from '@temporalio/activity';
import { Client, WithStartWorkflowOperation, WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCampaignActivities } from '../../src/campaigns/campaign.activities';
import { campaignIdOf } from '../../src/campaigns/campaign.events';
import { CampaignProjection } from '../../src/campaigns/campaign.projection';
import type { AppendEventsRequest } from '../../src/events/event-store.activities';
import type { Actor } from '../../src/events/event.types';
import type { Mailer } from '../../src/notifications/mailer.service';
import { createActivities } from '../../src/temporal/activities';
import { startOfAmsterdamDay } from '../../src/time/amsterdam';
import { addDays, amsterdamDate } from '../../src/time/calendar';
import { TaskProjection } from '../../src/tasks/task.projection';
import { planTransition } from '../../src/transitions/plan-transition';
import { TransitionSummaryProjection } from '../../src/transitions/transition-summary.projection';
import type { EmailPage, RenderedBatch } from '../../workflows/campaign/decide';
import {
  approveCampaignUpdate,
  campaignDraftedUpdate,
  CampaignStart,
  campaignStatusQuery,
  cancelCampaignUpdate,
  editCampaignUpdate,
  handLetterBatchToPrintUpdate,
  markLetterBatchPostedUpdate,
  pauseCampaignUpdate,
  resumeCampaignUpdate,
} from '../../workflows/campaign/definitions';
import { campaignWorkflow } from '../../workflows/campaign/workflow';
import { ResidentCampaignReport, transitionRegisteredUpdate, transitionStatusQuery } from '../../workflows/transition/definitions';
import { transitionWorkflowV2 } from '../../workflows/transition/workflow';
import { seedOrganisations } from '../support/access';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventStoreFor } from '../support/event-store';
import { eventually } from '../support/eventually';
import { PROVIDER_CHANGE_V3 } from '../support/plans';
import { startTimeSkippingServer } from '../support/temporal';
import { campaignMessageFields } from '../support/campaign-fields';

/**
 * A resident campaign against its deadline, on the time-skipping server with the real event store
 * (and the campaign projection), the real notifications and, where said, the real handover
 * workflow and report activity, on a real PostgreSQL. The campaign's other activities are doubles:
 * the e-mail sender works through an in-memory list and handles `perPage` messages once every
 * `pageMs` of server time. The server holds its clock while an activity runs, so in between it
 * answers "refused for now" (a deferred page) and the workflow backs off on timers, which the
 * server skips: the pace the workflow measures, in workflow time, is the one set here.
 */
const taskQueue = 'campaign-deadline-test';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const coordinator: Actor = { user: 'coordinator-1', organisation: 'rotterdam', role: 'coordinator' };
const asCoordinator = { actor: coordinator, actingFor: ['rotterdam'] };
const policy = { reminderOffsetsDays: [7, 1], goLiveReminderOffsetsDays: [7, 1], escalationAfterDays: 2 };

const fieldsFor = (goLiveDate: string) => campaignMessageFields(goLiveDate);

/** What one campaign's doubles do and saw. */
interface Scenario {
  counts: { addressLetters: number; clientLetters: number; emails: number };
  /** The subscribers' ledger, in memory: ids only. */
  pendingEmails: string[];
  pace: { perPage: number; pageMs: number };
  /** Pages of this many messages first, once each, at the same pace. */
  nextPages: number[];
  /** Every page the double answered, deferred ones included, and when (real time) it was asked for each. */
  pages: EmailPage[];
  calls: number[];
  /** Server time of the last page that handled messages. */
  lastPageAt?: number;
  batches: RenderedBatch[];
  reports: ResidentCampaignReport[];
  /** Tell the real handover workflow too (through the real activity). */
  realHandover: boolean;
}

describe('campaignWorkflow against its deadline (time-skipping server, real PostgreSQL event store)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let worker: Worker;
  let running: Promise<void>;
  const erasureLog = join(tmpdir(), `campaign-erasures-${randomUUID()}.log`);
  const scenarios = new Map<string, Scenario>();
  /** Every append with its stream, its event types and the server time it was scheduled at. */
  const appends: Array<{ streamId: string; types: string[]; at: number }> = [];
  const mails: Array<{ to: string; subject: string }> = [];

  beforeAll(async () => {
    [env, db] = await Promise.all([startTimeSkippingServer(), createTestDatabase()]);
    await seedOrganisations(db.admin);
    const eventStore = eventStoreFor(db.app, [new TransitionSummaryProjection(), new TaskProjection(), new CampaignProjection()]);
    const mailer = { send: async (mail: { to: string; subject: string }) => void mails.push(mail) } as unknown as Mailer;
    const activities = createActivities({ eventStore, dataSource: db.app, mailer, temporal: env.client, erasureLogFile: erasureLog, taskQueue });
    const campaign = createCampaignActivities({
      dataSource: db.app,
      temporal: env.client,
      campaigns: {
        emailSender: { sendPage: () => Promise.reject(new Error('not used: see the double')) },
        letterAddressees: {} as never,
        printer: { missingMergeFields: (fields) => (fields.whereToAsk ? [] : ['whereToAsk']), print: () => Promise.reject(new Error('not used')) },
      },
    });
    const scenario = (campaignId: string) => {
      const found = scenarios.get(campaignId);
      if (!found) throw new Error(`no scenario for campaign ${campaignId}`);
      return found;
    };
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: {
        ...activities,
        async appendEvents(request: AppendEventsRequest) {
          const result = await activities.appendEvents(request);
          appends.push({ streamId: request.streamId, types: request.events.map((e) => e.type), at: Context.current().info.scheduledTimestampMs });
          return result;
        },
        digestCampaignMessage: campaign.digestCampaignMessage,
        async freezeRecipients({ campaignId }: { campaignId: string; transitionId: string }) {
          return scenario(campaignId).counts;
        },
        async sendEmailPage({ campaignId, limit }: { campaignId: string; limit: number }): Promise<EmailPage> {
          const s = scenario(campaignId);
          // Server time: the time-skipping server holds its clock while an activity runs, so a page
          // takes workflow time only by being refused for now (4xx) until its moment has come: the
          // workflow backs off on timers in between, which the server skips.
          const at = Context.current().info.currentAttemptScheduledTimestampMs;
          s.calls.push(Date.now());
          s.lastPageAt ??= at;
          let page: EmailPage;
          if (at - s.lastPageAt < s.pace.pageMs) {
            page = { sent: 0, bounced: 0, deferred: 1, skipped: 0, fallbackLetters: 0, remaining: s.pendingEmails.length };
          } else {
            s.lastPageAt = at;
            const handled = s.pendingEmails.splice(0, Math.min(limit, s.nextPages.shift() ?? s.pace.perPage));
            page = { sent: handled.length, bounced: 0, deferred: 0, skipped: 0, fallbackLetters: 0, remaining: s.pendingEmails.length };
          }
          s.pages.push(page);
          return page;
        },
        async renderLetterBatch({ campaignId, batchNo }: { campaignId: string; batchNo: number }): Promise<RenderedBatch> {
          const s = scenario(campaignId);
          const existing = s.batches.find((b) => b.batchNo === batchNo);
          if (existing) return existing;
          const letters = s.counts.addressLetters + s.counts.clientLetters - s.batches.reduce((n, b) => n + b.letters + b.skipped, 0);
          const batch = { batchNo, letters: Math.min(letters, 1_000), skipped: 0, pdfSha256: `sha-${batchNo}` };
          s.batches.push(batch);
          return batch;
        },
        async reportCampaignToHandover(input: ResidentCampaignReport & { transitionId: string; version: number }) {
          const { transitionId, version, ...report } = input;
          const s = scenario(report.campaignId);
          s.reports.push(report);
          if (s.realHandover) await campaign.reportCampaignToHandover(input);
        },
      },
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.drop();
    await rm(erasureLog, { force: true });
  });

  /** Workflows to end after each test, so that none holds the server's clock for the next. */
  const started: WorkflowHandle[] = [];
  afterEach(async () => {
    for (const handle of started.splice(0)) await handle.terminate('test over').catch(() => undefined);
  });

  const now = () => env.currentTimeMs();
  /** Lets server time pass a step at a time (timers fire, activities run) until the assertion holds. */
  async function advanceUntil<T>(assertion: () => Promise<T>, stepMs = MINUTE, maxSteps = 3_000): Promise<T> {
    for (let step = 0; ; step += 1) {
      try {
        return await assertion();
      } catch (error) {
        if (step >= maxSteps) throw error;
        await env.sleep(stepMs);
      }
    }
  }
  /**
   * A campaign's result once it has finished, letting server time pass meanwhile. (The
   * time-skipping client's own `result()` frees the clock while it waits, and the server then leaps
   * to the next thing scheduled anywhere, years ahead when nothing else is.)
   */
  async function resultOf(handle: WorkflowHandle<typeof campaignWorkflow>) {
    await advanceUntil(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'), MINUTE, 100);
    return new Client({ connection: env.connection, namespace: env.namespace }).workflow.getHandle<typeof campaignWorkflow>(handle.workflowId).result();
  }
  /** The campaign waits on a timer (a back-off), no activity of it in flight. */
  const idle = async (handle: WorkflowHandle) =>
    eventually(async () => expect((await handle.describe()).raw.pendingActivities ?? []).toHaveLength(0));
  const sleepUntil = async (at: number) => env.sleep(at - (await now()));

  /** Drafts and approves a campaign of a handover, with its doubles set up; its deadline `daysAhead` days from the server's today. */
  async function approvedCampaign(options: {
    transitionId?: string;
    goLiveDate?: string;
    daysAhead: number;
    counts: Scenario['counts'];
    pace?: Scenario['pace'];
    realHandover?: boolean;
    limits?: CampaignStart['limits'];
    /** Leave it a draft. */
    draft?: boolean;
  }) {
    const campaignId = randomUUID();
    const today = amsterdamDate(await now());
    const deadline = addDays(today, options.daysAhead);
    const goLiveDate = options.goLiveDate ?? addDays(today, 200);
    const transitionId = options.transitionId ?? `rotterdam.feijenoord.${goLiveDate}.${campaignId.slice(0, 8)}`;
    const scenario: Scenario = {
      counts: options.counts,
      pendingEmails: Array.from({ length: options.counts.emails }, (_, i) => `subscriber:${i}`),
      pace: options.pace ?? { perPage: 500, pageMs: 1_000 },
      nextPages: [],
      pages: [],
      calls: [],
      batches: [],
      reports: [],
      realHandover: options.realHandover ?? false,
    };
    scenarios.set(campaignId, scenario);
    const start: CampaignStart = {
      campaignId,
      handover: { transitionId, municipality: 'rotterdam', district: 'feijenoord', goLiveDate },
      templateVersion: 1,
      fields: fieldsFor(goLiveDate),
      deadline,
      requestedBy: coordinator,
      correlationId: randomUUID(),
      limits: options.limits,
    };
    const workflowId = campaignIdOf(transitionId, campaignId);
    const drafted = await env.client.workflow.executeUpdateWithStart(campaignDraftedUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation(campaignWorkflow, { workflowId, taskQueue, args: [start], workflowIdConflictPolicy: 'FAIL' }),
    });
    const handle = env.client.workflow.getHandle<typeof campaignWorkflow>(workflowId);
    started.push(handle);
    if (!options.draft) await handle.executeUpdate(approveCampaignUpdate, { args: [{ ...asCoordinator, expectedVersion: drafted.streamVersion }] });
    return { campaignId, workflowId, handle, scenario, deadline, deadlineEnd: Date.parse(startOfAmsterdamDay(addDays(deadline, 1))) };
  }

  const storedTypes = async (streamId: string): Promise<string[]> =>
    (await db.app.query('SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version', [streamId])).map((row: { type: string }) => row.type);
  const behindNotifications = (transitionId: string) =>
    db.app.query(`SELECT organisation, subject, body FROM notifications WHERE kind = 'campaign-behind-schedule' AND transition_id = $1`, [transitionId]);
  const readModel = async (campaignId: string) =>
    (await db.app.query('SELECT state, behind_schedule, emails_sent, letters_rendered, letters_posted, rate_per_hour FROM campaigns WHERE campaign_id = $1', [campaignId]))[0];

  it('falls behind when the measured pace projects past the deadline: recorded, the coordinator alerted, the handover told; pause, resume and cancel through updates', async () => {
    // 10,000 e-mails, one every five minutes (12 an hour), and two to three days left.
    const { campaignId, workflowId, handle, scenario, deadline, deadlineEnd } = await approvedCampaign({
      daysAhead: 2,
      counts: { addressLetters: 0, clientLetters: 0, emails: 10_000 },
      pace: { perPage: 1, pageMs: 5 * MINUTE },
      limits: { pagesPerRun: 5 },
    });
    const transitionId = (await handle.query(campaignStatusQuery)).handover.transitionId;
    const firstRunId = (await handle.describe()).runId;

    const behind = await advanceUntil(async () => {
      const status = await handle.query(campaignStatusQuery);
      expect(status.behindSchedule).toBe(true);
      return status;
    });
    expect(behind.emails.sent).toBe(1);
    expect(Date.parse(behind.projectedFinish!)).toBeGreaterThanOrEqual(deadlineEnd);
    expect(behind.ratePerHour).toBeGreaterThan(6);
    expect(behind.ratePerHour).toBeLessThanOrEqual(12);
    const types = await storedTypes(workflowId);
    expect(types.slice(0, 3)).toEqual(['CampaignDrafted', 'CampaignApproved', 'RecipientsFrozen']);
    const [{ data: behindData }] = await db.app.query(`SELECT data FROM events WHERE stream_id = $1 AND type = 'CampaignBehindSchedule'`, [workflowId]);
    expect(behindData).toMatchObject({ reason: 'projection', deadline, remaining: 9_999 });
    expect(Date.parse(behindData.projectedFinish)).toBeGreaterThanOrEqual(deadlineEnd);

    await eventually(async () => {
      expect(scenario.reports.map((r) => r.view)).toEqual(['running', 'behind']);
      const notifications = await behindNotifications(transitionId);
      expect(notifications).toHaveLength(1);
      expect(notifications[0]).toMatchObject({ organisation: 'rotterdam', subject: expect.stringMatching(/will miss its deadline of/) });
      expect(notifications[0].body).toMatch(/9999 recipient\(s\) are not informed yet; at the measured pace it finishes at/);
      expect(await readModel(campaignId)).toMatchObject({ state: 'sending', behind_schedule: true, emails_sent: 1 });
    });

    // Paused while it backs off: no page is asked for until it is resumed, however long it waits.
    await idle(handle);
    const paused = await handle.executeUpdate(pauseCampaignUpdate, { args: [{ ...asCoordinator, reason: 'Tekst klopt niet' }] });
    expect(paused.state).toBe('paused');
    await env.sleep(HOUR);
    const afterPause = (await storedTypes(workflowId)).slice((await storedTypes(workflowId)).indexOf('CampaignPaused'));
    expect(afterPause).toEqual(['CampaignPaused']);
    expect(await readModel(campaignId)).toMatchObject({ state: 'paused' });

    // Resumed, with a page of 9,000: at that pace the rest fits easily, back on schedule, and the handover hears that too.
    scenario.nextPages.push(9_000);
    expect((await handle.executeUpdate(resumeCampaignUpdate, { args: [asCoordinator] })).state).toBe('sending');
    await advanceUntil(async () => {
      expect((await handle.query(campaignStatusQuery)).behindSchedule).toBe(false);
      expect(scenario.reports.map((r) => r.view)).toEqual(['running', 'behind', 'running']);
    });
    expect(await storedTypes(workflowId)).toContain('CampaignBackOnSchedule');
    expect(await readModel(campaignId)).toMatchObject({ state: 'sending', behind_schedule: false });

    // Cancelled while it backs off: it ends without asking for another page, and the handover hears it.
    await idle(handle);
    const calls = scenario.calls.length;
    const cancelled = await handle.executeUpdate(cancelCampaignUpdate, { args: [{ ...asCoordinator, reason: 'Vervangen door een nieuwe brief' }] });
    expect(cancelled.state).toBe('cancelled');
    expect((await resultOf(handle)).state).toBe('cancelled');
    expect(scenario.calls.length).toBe(calls);
    expect((await storedTypes(workflowId)).at(-1)).toBe('CampaignCancelled');
    expect(scenario.reports.map((r) => r.view)).toEqual(['running', 'behind', 'running', 'cancelled']);
    expect(await readModel(campaignId)).toMatchObject({ state: 'cancelled' });
    // It continued as new between pages, carrying everything over: every page is in the stream once.
    expect((await storedTypes(workflowId)).filter((t) => t === 'EmailPageSent').length).toBe(scenario.pages.length);
    expect((await handle.describe()).runId).not.toBe(firstRunId);
  });

  it('falls behind at the end of the deadline day in Amsterdam when letters were never posted, then completes once they are', async () => {
    const { campaignId, workflowId, handle, scenario, deadline, deadlineEnd } = await approvedCampaign({
      daysAhead: 3,
      counts: { addressLetters: 5, clientLetters: 0, emails: 0 },
    });
    const transitionId = (await handle.query(campaignStatusQuery)).handover.transitionId;
    await eventually(async () => expect((await handle.query(campaignStatusQuery)).batches).toEqual([{ batchNo: 1, letters: 5, state: 'rendered', pdfSha256: 'sha-1' }]));
    await handle.executeUpdate(handLetterBatchToPrintUpdate, { args: [{ ...asCoordinator, batchNo: 1 }] });

    // A minute before the day ends nothing has happened; a minute after, it is behind.
    await sleepUntil(deadlineEnd - MINUTE);
    expect((await handle.query(campaignStatusQuery)).behindSchedule).toBe(false);
    await env.sleep(2 * MINUTE);
    await eventually(async () => expect((await handle.query(campaignStatusQuery)).behindSchedule).toBe(true));
    const [{ data }] = await db.app.query(`SELECT data FROM events WHERE stream_id = $1 AND type = 'CampaignBehindSchedule'`, [workflowId]);
    expect(data).toMatchObject({ reason: 'deadline-passed', deadline, remaining: 5 });
    // Decided at the instant the deadline day ended (server time), by the workflow's own timer.
    const behindAppend = appends.find((a) => a.streamId === workflowId && a.types.includes('CampaignBehindSchedule'))!;
    expect(Math.abs(behindAppend.at - deadlineEnd)).toBeLessThan(2_000);
    await eventually(async () => {
      expect(scenario.reports.map((r) => r.view)).toEqual(['running', 'behind']);
      const notifications = await behindNotifications(transitionId);
      expect(notifications).toHaveLength(1);
      expect(notifications[0].subject).toMatch(/missed its deadline of/);
      expect(notifications[0].body).toMatch(/5 recipient\(s\) are not informed yet/);
    });
    expect(mails.some((mail) => /missed its deadline/.test(mail.subject))).toBe(true);

    // Not twice: a day later it is still the one event.
    await env.sleep(24 * HOUR);
    expect((await storedTypes(workflowId)).filter((t) => t === 'CampaignBehindSchedule')).toHaveLength(1);

    // Posted: complete, with the counts, and the handover hears it.
    const posted = await handle.executeUpdate(markLetterBatchPostedUpdate, { args: [{ ...asCoordinator, batchNo: 1 }] });
    expect(posted.state).toBe('completed');
    const result = await resultOf(handle);
    expect(result.outcome).toEqual({ emailsSent: 0, emailsBounced: 0, lettersPosted: 5, fallbackLetters: 0, skipped: 0 });
    expect((await storedTypes(workflowId)).slice(-2)).toEqual(['LetterBatchPosted', 'CampaignCompleted']);
    expect(scenario.reports.map((r) => r.view)).toEqual(['running', 'behind', 'completed']);
    expect(scenario.reports.at(-1)!.outcome).toEqual(result.outcome);
    expect(await readModel(campaignId)).toMatchObject({ state: 'completed', letters_posted: 5, behind_schedule: false });
  });

  it('refuses bad commands in the update validator or handler, recording nothing; an approved campaign can only be cancelled', async () => {
    const { workflowId, handle } = await approvedCampaign({ daysAhead: 10, counts: { addressLetters: 2, clientLetters: 0, emails: 0 }, draft: true });
    const asProvider = { actor: { user: 'p-1', organisation: 'buurtkracht', role: 'provider' }, actingFor: ['buurtkracht'] };
    const refusal = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error) => ({ type: error.cause?.type, message: error.cause?.message }));

    expect(await refusal(handle.executeUpdate(approveCampaignUpdate, { args: [{ ...asProvider, expectedVersion: 1 }] }))).toMatchObject({ type: 'Forbidden' });
    const fields = (await handle.query(campaignStatusQuery)).fields;
    await handle.executeUpdate(editCampaignUpdate, { args: [{ ...asCoordinator, fields: { ...fields, whereToAsk: '' } }] });
    expect(await refusal(handle.executeUpdate(approveCampaignUpdate, { args: [{ ...asCoordinator, expectedVersion: 1 }] }))).toMatchObject({
      type: 'Conflict', message: expect.stringMatching(/edited since you read it/),
    });
    expect(await refusal(handle.executeUpdate(approveCampaignUpdate, { args: [{ ...asCoordinator, expectedVersion: 2 }] }))).toEqual({
      type: 'Invalid', message: 'the message lacks merge fields: whereToAsk',
    });
    await handle.executeUpdate(editCampaignUpdate, { args: [{ ...asCoordinator, fields }] });
    expect((await handle.executeUpdate(approveCampaignUpdate, { args: [{ ...asCoordinator, expectedVersion: 3 }] })).state).toBe('approved');
    expect(await refusal(handle.executeUpdate(editCampaignUpdate, { args: [{ ...asCoordinator, fields: { ...fields, district: 'Charlois' } }] }))).toMatchObject({
      type: 'Conflict', message: expect.stringMatching(/cannot be edited, only cancelled and replaced/),
    });
    expect(await refusal(handle.executeUpdate(resumeCampaignUpdate, { args: [asCoordinator] }))).toMatchObject({ type: 'Conflict' });
    expect(await refusal(handle.executeUpdate(markLetterBatchPostedUpdate, { args: [{ ...asCoordinator, batchNo: 7 }] }))).toMatchObject({ type: 'NotFound' });
    await eventually(async () => expect((await handle.query(campaignStatusQuery)).batches).toHaveLength(1));
    expect(await refusal(handle.executeUpdate(markLetterBatchPostedUpdate, { args: [{ ...asCoordinator, batchNo: 1 }] }))).toMatchObject({
      type: 'Conflict', message: expect.stringMatching(/must be handed to print/),
    });
    expect((await storedTypes(workflowId)).filter((type) => type !== 'CampaignProjected')).toEqual([
      'CampaignDrafted', 'CampaignEdited', 'CampaignEdited', 'CampaignApproved', 'RecipientsFrozen', 'LetterBatchRendered',
    ]);
  });

  describe('with the real handover workflow (template v3)', () => {
    async function handover(district: string) {
      const goLiveDate = addDays(amsterdamDate(await now()), 200);
      const request = { municipality: 'rotterdam', district, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate };
      const input = planTransition(request, PROVIDER_CHANGE_V3, policy, coordinator, randomUUID());
      await env.client.workflow.executeUpdateWithStart(transitionRegisteredUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(transitionWorkflowV2, {
          workflowId: input.plan.transitionId,
          taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
        }),
      });
      const handle = env.client.workflow.getHandle<typeof transitionWorkflowV2>(input.plan.transitionId);
      started.push(handle);
      return { goLiveDate, handle };
    }
    const residentsInformed = async (h: WorkflowHandle<typeof transitionWorkflowV2>) =>
      (await h.query(transitionStatusQuery)).milestones.find((m) => m.id === 'residents-informed')!;

    it('meets "residents informed" by itself when the campaign completes', async () => {
      const { goLiveDate, handle: transition } = await handover('charlois');
      expect(await residentsInformed(transition)).toMatchObject({ check: 'resident-campaign', met: false });
      const { campaignId, handle } = await approvedCampaign({
        transitionId: transition.workflowId,
        goLiveDate,
        daysAhead: 30,
        counts: { addressLetters: 0, clientLetters: 0, emails: 1_200 },
        pace: { perPage: 500, pageMs: 10_000 },
        realHandover: true,
      });
      expect((await resultOf(handle)).outcome).toEqual({ emailsSent: 1_200, emailsBounced: 0, lettersPosted: 0, fallbackLetters: 0, skipped: 0 });
      await eventually(async () => {
        const status = await transition.query(transitionStatusQuery);
        expect(status.residents).toEqual({ campaignId, state: 'completed' });
        expect(status.milestones.find((m) => m.id === 'residents-informed')).toMatchObject({ met: true });
      });
      const types = await storedTypes(transition.workflowId);
      expect(types.slice(-3)).toEqual(['ResidentCampaignStarted', 'ResidentCampaignCompleted', 'MilestoneMet']);
      const [{ data }] = await db.app.query(`SELECT data FROM events WHERE stream_id = $1 AND type = 'ResidentCampaignCompleted'`, [transition.workflowId]);
      expect(data).toEqual({ campaignId, emailsSent: 1_200, emailsBounced: 0, lettersPosted: 0, fallbackLetters: 0, skipped: 0 });
    });

    it("puts the handover's residents behind when its campaign falls behind, and back again each time", async () => {
      const { goLiveDate, handle: transition } = await handover('ijsselmonde');
      // Noon in Amsterdam on the deadline day: twelve hours left.
      const day = addDays(amsterdamDate(await now()), 1);
      await sleepUntil(Date.parse(startOfAmsterdamDay(day)) + 12 * HOUR);
      // 20,000 e-mails, one every five minutes: 12 an hour, far behind.
      const { campaignId, handle, scenario } = await approvedCampaign({
        transitionId: transition.workflowId,
        goLiveDate,
        daysAhead: 0,
        counts: { addressLetters: 0, clientLetters: 0, emails: 20_000 },
        pace: { perPage: 1, pageMs: 5 * MINUTE },
        realHandover: true,
      });
      const residents = async () => (await transition.query(transitionStatusQuery)).residents;
      await advanceUntil(async () => expect(await residents()).toEqual({ campaignId, state: 'behind' }));
      expect(await residentsInformed(transition)).toMatchObject({ met: false });
      expect((await transition.query(transitionStatusQuery)).state).not.toBe('ready');

      // One page of 2,000: at that pace the rest fits in the day, back on schedule. Then one every five
      // minutes again: behind once more after an hour or so, and the handover must hear it again.
      scenario.nextPages.push(2_000);
      await advanceUntil(async () => expect(await residents()).toEqual({ campaignId, state: 'running' }));
      await advanceUntil(async () => expect(scenario.reports.map((r) => r.view)).toEqual(['running', 'behind', 'running', 'behind']));
      await eventually(async () => expect(await residents()).toEqual({ campaignId, state: 'behind' }));
      const handoverEvents = (await storedTypes(transition.workflowId)).filter((t) => t.startsWith('ResidentCampaign'));
      expect(handoverEvents).toEqual(['ResidentCampaignStarted', 'ResidentCampaignBehindSchedule', 'ResidentCampaignBackOnSchedule', 'ResidentCampaignBehindSchedule']);

      await idle(handle);
      await handle.executeUpdate(cancelCampaignUpdate, { args: [{ ...asCoordinator, reason: 'Vervangen' }] });
      await resultOf(handle);
      await eventually(async () => expect(await residents()).toEqual({ campaignId, state: 'cancelled' }));
    }, 300_000);
  });
});
