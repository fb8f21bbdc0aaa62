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
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ClientActivities } from '../../src/clients/client.activities';
import { CLIENT_TRANSFER_EVENT_SCHEMA_VERSIONS, ClientTransferEvent, transferIdOf } from '../../src/clients/client.events';
import type { EventStoreActivities } from '../../src/events/event-store.activities';
import type { Actor } from '../../src/events/event.types';
import type { NotificationActivities } from '../../src/notifications/notification.activities';
import { amsterdamDate, BusinessCalendar } from '../../src/time/calendar';
import { createStreamRecorder, EventContext, reject } from '../shared/stream-recorder';
import { CommandActor, CommandRejection } from '../transition/definitions';
import { TransferAlarm, transferAlarms } from './alarms';
import { decideTransfer, isFinished, TransferCommand } from './decide';
import {
  acceptTransferUpdate,
  endTransferUpdate,
  erasePersonalDataUpdate,
  informClientUpdate,
  planIntakeUpdate,
  recordConsentUpdate,
  recordDownloadUpdate,
  TransferStart,
  TransferStatus,
  TransferStepAttribute,
  transferFileUpdate,
  transferListedUpdate,
  transferStatusQuery,
} from './definitions';
import { evolveTransfer } from './evolve';

const { appendEvents, streamHead } = proxyActivities<EventStoreActivities>({
  startToCloseTimeout: '4 seconds',
  scheduleToCloseTimeout: '5 seconds',
  retry: { initialInterval: '100 milliseconds', backoffCoefficient: 2, maximumInterval: '1 second' },
});
const { sendNotification } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
/** Bookkeeping that must happen eventually (the erasure log, the handover's check): retried until it does. */
const { handoverGoLive, logErasure, transferFinished } = proxyActivities<ClientActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

const SYSTEM: Actor = { user: 'system', organisation: null, role: 'system' };
const MAX_HISTORY_EVENTS = 2_000;
/** A listing the store could not take now is tried again after this long, doubling up to the maximum. */
const LISTING_RETRY_MS = { first: 1_000, max: 60_000 };
/** After a failed alarm (the store out of reach), wait this long before trying again, doubling up to the maximum. */
const ALARM_RETRY_MS = { first: 30_000, max: 30 * 60_000 };

/**
 * One client's warm transfer to the incoming provider, an entity workflow of its own
 * (`transfer.<transitionId>.<pseudonym>`), for months: listed → informed → consent given or
 * refused → file transferred → intake planned → accepted, or ended at any step. Its input,
 * state, events and search attributes hold the pseudonym and codes only; personal data stays
 * in the vault. Commands follow the command core (decide, record in one append, apply) under
 * one lock. A stalled step reminds the provider whose move it is; once finished and past its
 * retention, the personal data is erased and the workflow completes.
 */
export async function clientTransferWorkflow(start: TransferStart): Promise<TransferStatus> {
  const { handover, pseudonym, policy } = start;
  let status: TransferStatus | null = start.carried?.status ?? null;
  const fired = new Set(start.carried?.fired ?? []);
  let lastEventId = start.carried?.lastEventId ?? null;
  let goLiveDate = status?.handover.goLiveDate ?? handover.goLiveDate;
  let listingFailure: ApplicationFailure | null = null;
  let changed = false;
  const lock = new Mutex();
  const calendar = new BusinessCalendar(start.holidays);

  function apply(events: ClientTransferEvent[], context: EventContext, lastId: string): void {
    const before = status?.step;
    status = events.reduce<TransferStatus | null>((state, event) => evolveTransfer(state, event, context, start), status)!;
    lastEventId = lastId;
    changed = true;
    if (before && before !== status.step) upsertSearchAttributes([{ key: TransferStepAttribute, value: status.step }]);
  }

  const recorder = createStreamRecorder<ClientTransferEvent>({
    streamId: transferIdOf(handover.transitionId, pseudonym),
    correlationId: start.correlationId,
    schemaVersions: CLIENT_TRANSFER_EVENT_SCHEMA_VERSIONS,
    version: () => status?.streamVersion ?? 0,
    lastEventId: () => lastEventId,
    apply,
    activities: { appendEvents, streamHead },
    conflictMessage: 'the transfer was changed elsewhere; nothing was changed',
  });

  async function decideAndRecord(command: TransferCommand, actor: Actor): Promise<void> {
    await recorder.settle();
    const context = { at: Date.now(), actor };
    await recorder.record(decideTransfer(status, command, context), context);
  }

  function onCommand<C extends CommandActor>(update: UpdateDefinition<TransferStatus, [C]>, toCommand: (command: C) => TransferCommand) {
    setHandler(
      update,
      (command) =>
        lock.runExclusive(async () => {
          if (command.notAfter !== undefined && Date.now() > command.notAfter) {
            throw reject(CommandRejection.unavailable, 'the transfer was busy and its caller stopped waiting; nothing was changed');
          }
          await decideAndRecord(toCommand(command), command.actor);
          return status!;
        }),
      {
        validator: (command) => {
          if (!recorder.uncertain) decideTransfer(status, toCommand(command), { at: Date.now(), actor: command.actor });
        },
      },
    );
  }

  setHandler(transferStatusQuery, () => status!);
  setHandler(transferListedUpdate, async () => {
    await condition(() => status !== null || listingFailure !== null);
    if (listingFailure) throw listingFailure;
    return status!;
  });
  onCommand(informClientUpdate, (command) => ({ type: 'InformClient', ...command }));
  onCommand(recordConsentUpdate, (command) => ({ type: 'RecordConsent', ...command }));
  onCommand(transferFileUpdate, (command) => ({ type: 'TransferFile', ...command }));
  onCommand(planIntakeUpdate, (command) => ({ type: 'PlanIntake', ...command }));
  onCommand(acceptTransferUpdate, (command) => ({ type: 'AcceptTransfer', ...command }));
  onCommand(endTransferUpdate, (command) => ({ type: 'EndTransfer', ...command }));
  onCommand(recordDownloadUpdate, (command) => ({ type: 'RecordDownload', ...command }));
  onCommand(erasePersonalDataUpdate, (command) => ({ type: 'ErasePersonalData', ...command }));

  async function fire(alarm: TransferAlarm): Promise<void> {
    if (alarm.kind === 'retention') {
      // Go-live may have moved later since the client was listed: the retention counts from the current one.
      const current = await handoverGoLive(handover.transitionId);
      if (current && current > goLiveDate) {
        goLiveDate = current;
        return;
      }
      await lock.runExclusive(() => decideAndRecord({ type: 'EraseForRetention' }, SYSTEM));
      fired.add(alarm.key);
      return;
    }
    const organisation = alarm.organisation === 'outgoing' ? handover.outgoingProvider : handover.incomingProvider;
    const notificationId = `${transferIdOf(handover.transitionId, pseudonym)}:${alarm.key}`;
    try {
      await sendNotification({
        kind: 'transfer-stalled',
        pseudonym,
        step: alarm.step,
        since: amsterdamDate(status!.stepSince),
        notificationId,
        organisation,
        transitionId: handover.transitionId,
      });
    } catch (error) {
      if (error instanceof ActivityFailure) throw reject(CommandRejection.unavailable, 'the reminder could not be sent');
      throw error;
    }
    await lock.runExclusive(() => decideAndRecord({ type: 'RecordReminder', notificationId, organisation }, SYSTEM));
    fired.add(alarm.key);
  }

  /**
   * Lists the client, whatever happens to the store meanwhile: an append whose answer was lost is
   * settled from the store, one refused for now is tried again later, and a listing an earlier
   * run of this id recorded before it failed is taken over. Only data the store refuses fails the run.
   */
  async function listClient(): Promise<void> {
    for (let retryIn = LISTING_RETRY_MS.first; ; retryIn = Math.min(retryIn * 2, LISTING_RETRY_MS.max)) {
      try {
        await recorder.settle();
        if (status) return; // the listing whose answer was lost is in the store
        await decideAndRecord({ type: 'ListClient', start }, start.requestedBy);
        return;
      } catch (error) {
        if (!(error instanceof ApplicationFailure)) throw error;
        if (error.type === CommandRejection.conflict && (await adoptListing())) return;
        if (error.type !== CommandRejection.unavailable) throw error;
      }
      await sleep(retryIn);
    }
  }

  /** An earlier run listed the client and failed before it heard so: this run goes on from that event. */
  async function adoptListing(): Promise<boolean> {
    const head = await streamHead(transferIdOf(handover.transitionId, pseudonym));
    if (head.version !== 1 || !head.eventId) return false;
    const context = { at: Date.now(), actor: start.requestedBy };
    apply(decideTransfer(null, { type: 'ListClient', start }, context), context, head.eventId);
    return true;
  }

  if (!start.carried) {
    try {
      await lock.runExclusive(listClient);
    } catch (error) {
      listingFailure = error instanceof ApplicationFailure ? error : reject(CommandRejection.invalid, 'the client could not be listed');
      await condition(allHandlersFinished);
      throw listingFailure;
    }
  }

  let finishReported = start.carried !== undefined && isFinished(start.carried.status);
  let erasureLogged = start.carried !== undefined && start.carried.status.erased;
  let retryIn = 0;
  while (!(isFinished(status!) && status!.erased && erasureLogged)) {
    if (isFinished(status!) && !finishReported) {
      await transferFinished(handover.transitionId);
      finishReported = true;
    }
    if (status!.erased && !erasureLogged) {
      await logErasure({ pseudonym, transitionId: handover.transitionId, reason: status!.erasureReason!, erasedAt: new Date().toISOString() });
      erasureLogged = true;
      continue;
    }
    const next = transferAlarms(status!, goLiveDate, policy, calendar).find((alarm) => !fired.has(alarm.key));
    changed = false;
    const wait = retryIn > 0 ? retryIn : next ? Math.max(1, next.at - Date.now()) : undefined;
    const woken = await condition(() => changed, wait);
    if (!woken && next) {
      try {
        await fire(next);
        retryIn = 0;
      } catch (error) {
        if (!(error instanceof ApplicationFailure) || error.type !== CommandRejection.unavailable) throw error;
        retryIn = Math.min(retryIn > 0 ? retryIn * 2 : ALARM_RETRY_MS.first, ALARM_RETRY_MS.max);
      }
    }
    if ((workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS) && !recorder.uncertain) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof clientTransferWorkflow>({
        ...start,
        carried: { status: { ...status!, handover: { ...status!.handover, goLiveDate } }, fired: [...fired], lastEventId },
      });
    }
  }
  await condition(allHandlersFinished);
  return status!;
}
