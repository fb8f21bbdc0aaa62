import type { UpdateDefinition } from '@temporalio/common';
import { Mutex } from 'async-mutex';
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { CampaignActivities } from '../../src/campaigns/campaign.activities';
import { CAMPAIGN_EVENT_SCHEMA_VERSIONS, CampaignEvent, campaignIdOf } from '../../src/campaigns/campaign.events';
import type { EventStoreActivities } from '../../src/events/event-store.activities';
import type { Actor } from '../../src/events/event.types';
import type { NotificationActivities } from '../../src/notifications/notification.activities';
import { createStreamRecorder, EventContext, reject } from '../shared/stream-recorder';
import { CommandActor, CommandRejection } from '../transition/definitions';
import { CampaignCommand, deadlineEndsAt, decideCampaign, isRunning, lettersToRender } from './decide';
import {
  approveCampaignUpdate,
  campaignDraftedUpdate,
  CampaignStart,
  CampaignStatus,
  campaignStatusQuery,
  cancelCampaignUpdate,
  DEFAULT_CAMPAIGN_LIMITS,
  HandoverView,
  editCampaignUpdate,
  handLetterBatchToPrintUpdate,
  markLetterBatchPostedUpdate,
  pauseCampaignUpdate,
  resumeCampaignUpdate,
} from './definitions';
import { evolveCampaign } from './evolve';
import { emailBackoffMs } from '../../src/campaigns/sending/email-backoff';

const { appendEvents, streamHead } = proxyActivities<EventStoreActivities>({
  startToCloseTimeout: '4 seconds',
  scheduleToCloseTimeout: '5 seconds',
  retry: { initialInterval: '100 milliseconds', backoffCoefficient: 2, maximumInterval: '1 second' },
});
/** The approval's digest: answered fast, or the coordinator tries again. */
const { digestCampaignMessage } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '5 seconds',
  scheduleToCloseTimeout: '10 seconds',
});
/** Work on the ledger: retried until it goes through; each is idempotent. */
const { freezeRecipients, reportCampaignToHandover } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { sendEmailPage, renderLetterBatch } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { sendNotification } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

const SYSTEM: Actor = { user: 'system', organisation: null, role: 'system' };
const MAX_HISTORY_EVENTS = 2_000;
/** After a failed step (the store out of reach), wait this long before trying again. */
const STEP_RETRY_MS = 30_000;

/**
 * One resident campaign of a handover (`campaign.<transitionId>.<campaignId>`): drafted, edited
 * and approved by the coordinator; at approval its recipients are frozen into the ledger. It
 * then pages through the ledger (e-mails a page per activity, letters a print file of at most
 * 1,000 per activity), continuing as new between pages, and can be paused, resumed and
 * cancelled: the page in flight always finishes. It projects its finish from the measured pace
 * against its deadline and alerts the coordinator (the handover at risk) when it will not make
 * it, or did not. When every recipient is sent, posted or bounced without fallback, it is
 * complete and the handover's "residents informed" milestone is met from that.
 */
export async function campaignWorkflow(start: CampaignStart): Promise<CampaignStatus> {
  const { campaignId, handover } = start;
  const limits = { ...DEFAULT_CAMPAIGN_LIMITS, ...start.limits };
  let status: CampaignStatus | null = start.carried?.status ?? null;
  let lastEventId = start.carried?.lastEventId ?? null;
  let deferredPages = start.carried?.deferredPages ?? 0;
  let reported: HandoverView = start.carried?.reported ?? null;
  let draftFailure: ApplicationFailure | null = null;
  let changed = false;
  const lock = new Mutex();

  function apply(events: CampaignEvent[], context: EventContext, lastId: string): void {
    status = events.reduce<CampaignStatus | null>((state, event) => evolveCampaign(state, event, context, start), status)!;
    lastEventId = lastId;
    changed = true;
  }

  const recorder = createStreamRecorder<CampaignEvent>({
    streamId: campaignIdOf(handover.transitionId, campaignId),
    correlationId: start.correlationId,
    schemaVersions: CAMPAIGN_EVENT_SCHEMA_VERSIONS,
    version: () => status?.streamVersion ?? 0,
    lastEventId: () => lastEventId,
    apply,
    activities: { appendEvents, streamHead },
    conflictMessage: 'the campaign was changed elsewhere; nothing was changed',
  });

  async function decideAndRecord(command: CampaignCommand, actor: Actor): Promise<void> {
    await recorder.settle();
    const context = { at: Date.now(), actor };
    await recorder.record(decideCampaign(status, command, context), context);
  }

  function onCommand<C extends CommandActor>(
    update: UpdateDefinition<CampaignStatus, [C]>,
    toCommand: (command: C) => Promise<CampaignCommand> | CampaignCommand,
    validate: (command: C) => CampaignCommand | null = (command) => toCommand(command) as CampaignCommand,
  ) {
    setHandler(
      update,
      (command) =>
        lock.runExclusive(async () => {
          if (command.notAfter !== undefined && Date.now() > command.notAfter) {
            throw reject(CommandRejection.unavailable, 'the campaign was busy and its caller stopped waiting; nothing was changed');
          }
          await decideAndRecord(await toCommand(command), command.actor);
          return status!;
        }),
      {
        validator: (command) => {
          const early = validate(command);
          if (early && !recorder.uncertain) decideCampaign(status, early, { at: Date.now(), actor: command.actor });
        },
      },
    );
  }

  setHandler(campaignStatusQuery, () => status!);
  setHandler(campaignDraftedUpdate, async () => {
    await condition(() => status !== null || draftFailure !== null);
    if (draftFailure) throw draftFailure;
    return status!;
  });
  onCommand(editCampaignUpdate, (command) => ({ type: 'Edit', ...command }));
  onCommand(
    approveCampaignUpdate,
    async (command) => {
      const digest = await digestOrUnavailable();
      return { type: 'Approve', ...command, digest };
    },
    // The digest needs an activity: the validator checks everything else with a digest that passes.
    (command) => ({ type: 'Approve', ...command, digest: { messageSha256: '', missingFields: [] } }),
  );
  onCommand(pauseCampaignUpdate, (command) => ({ type: 'Pause', ...command }));
  onCommand(resumeCampaignUpdate, (command) => ({ type: 'Resume', ...command }));
  onCommand(cancelCampaignUpdate, (command) => ({ type: 'Cancel', ...command }));
  onCommand(handLetterBatchToPrintUpdate, (command) => ({ type: 'HandToPrint', ...command }));
  onCommand(markLetterBatchPostedUpdate, (command) => ({ type: 'MarkPosted', ...command }));

  async function digestOrUnavailable() {
    try {
      return await digestCampaignMessage({ templateVersion: status!.templateVersion, fields: status!.fields });
    } catch (error) {
      if (error instanceof ActivityFailure) throw reject(CommandRejection.unavailable, 'the message could not be checked in time; nothing was changed');
      throw error;
    }
  }

  /** A step of the workflow's own (a page, a batch, a check), under the lock so commands wait for it to be recorded. */
  async function recordOwn(command: CampaignCommand): Promise<void> {
    await lock.runExclusive(() => decideAndRecord(command, SYSTEM));
  }

  if (!start.carried) {
    try {
      await lock.runExclusive(() => decideAndRecord({ type: 'Draft', start }, start.requestedBy));
    } catch (error) {
      draftFailure = error instanceof ApplicationFailure ? error : reject(CommandRejection.invalid, 'the campaign could not be recorded');
      await condition(allHandlersFinished);
      throw draftFailure;
    }
  }

  let pagesThisRun = 0;
  while (status!.state !== 'completed' && status!.state !== 'cancelled') {
    try {
      await tellHandover();
      const current = status!;
      if (current.state === 'approved' && !current.frozen) {
        const counts = await freezeRecipients({ campaignId, transitionId: handover.transitionId });
        await recordOwn({ type: 'Freeze', counts });
      } else if (current.state === 'sending' && current.emails.remaining > 0 && deferredPages === 0) {
        const page = await sendEmailPage({ campaignId, limit: limits.emailPage });
        await recordOwn({ type: 'RecordEmailPage', page });
        const progressed = page.sent + page.bounced + page.skipped > 0;
        deferredPages = page.deferred > 0 && !progressed ? 1 : 0;
        pagesThisRun += 1;
      } else if (current.state === 'sending' && deferredPages > 0) {
        // Every message of the last page was refused for now (4xx, connection lost): back off, then try again.
        await sleepOrChange(emailBackoffMs(deferredPages));
        // Paused or cancelled meanwhile: no page; after a resume it backs off again first.
        if (status!.state === 'sending') {
          const page = await sendEmailPage({ campaignId, limit: limits.emailPage });
          await recordOwn({ type: 'RecordEmailPage', page });
          deferredPages = page.deferred > 0 && page.sent + page.bounced + page.skipped === 0 ? deferredPages + 1 : 0;
          pagesThisRun += 1;
        }
      } else if (current.state === 'sending' && lettersToRender(current) > 0) {
        const batch = await renderLetterBatch({
          campaignId,
          transitionId: handover.transitionId,
          batchNo: current.lastBatchNo + 1,
          templateVersion: current.templateVersion,
          fields: current.fields,
        });
        await recordOwn({ type: 'RecordLetterBatch', batch });
        pagesThisRun += 1;
      } else {
        // Paused, a draft, or letters at the print shop: wait for a command or the deadline.
        const untilDeadline = isRunning(current) && !current.behindSchedule ? deadlineEndsAt(current) - Date.now() : undefined;
        if (untilDeadline !== undefined && untilDeadline <= 0) {
          await recordOwn({ type: 'CheckDeadline' });
        } else {
          changed = false;
          await condition(() => changed, untilDeadline);
        }
      }
      if (isRunning(status!) && !status!.behindSchedule && Date.now() >= deadlineEndsAt(status!)) await recordOwn({ type: 'CheckDeadline' });
    } catch (error) {
      if (!(error instanceof ApplicationFailure) || error.type !== CommandRejection.unavailable) throw error;
      await sleep(STEP_RETRY_MS);
    }
    const longHistory = workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS;
    if ((longHistory || pagesThisRun >= limits.pagesPerRun) && !recorder.uncertain) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof campaignWorkflow>({ ...start, carried: { status: status!, lastEventId, deferredPages, reported } });
    }
  }
  await tellHandover();
  await condition(allHandlersFinished);
  return status!;

  /** Waits the back-off, or less when a command (pause, cancel) comes in. */
  async function sleepOrChange(ms: number): Promise<void> {
    changed = false;
    await condition(() => changed, ms);
  }

  /** The handover learns of the campaign's start, its falling behind, its completion or cancellation: once each. */
  async function tellHandover(): Promise<void> {
    const view = handoverView(status!);
    if (view === reported || view === null) return;
    if (view === 'behind') {
      const behind = status!;
      await sendNotification({
        kind: 'campaign-behind-schedule',
        campaignId,
        reason: Date.now() >= deadlineEndsAt(behind) ? 'deadline-passed' : 'projection',
        deadline: behind.deadline,
        projectedFinish: behind.projectedFinish,
        remaining: behind.emails.remaining + lettersToRender(behind) + behind.letters.rendered - behind.letters.posted,
        notificationId: `${campaignIdOf(handover.transitionId, campaignId)}:behind:${behind.streamVersion}`,
        organisation: handover.municipality,
        transitionId: handover.transitionId,
      });
    }
    await reportCampaignToHandover({
      transitionId: handover.transitionId,
      campaignId,
      view,
      outcome: status!.outcome,
      version: status!.streamVersion,
    });
    reported = view;
  }
}

function handoverView(status: CampaignStatus): HandoverView {
  if (status.state === 'completed') return 'completed';
  if (status.state === 'cancelled') return 'cancelled';
  if (!status.frozen) return null;
  return status.behindSchedule ? 'behind' : 'running';
}
