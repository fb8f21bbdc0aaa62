import type { AudienceEvent } from '../../../campaigns/audiences/audience.events';
import type { CampaignEvent } from '../../../campaigns/campaign.events';
import type { ClientTransferEvent } from '../../../clients/client.events';
import type { TransitionEvent } from '../../../transitions/transition.events';
import type { TransitionState } from '../../../../workflows/transition/definitions';
import { AMSTERDAM } from '../../../time/calendar';
import { dutchDate, STATE_LABELS } from '../../dutch-labels';

export type EventType = TransitionEvent['type'] | ClientTransferEvent['type'] | CampaignEvent['type'] | AudienceEvent['type'];

/** What happened, per event type of the audit trail, as a Dutch (B1) sentence fragment. Typed: a new event type needs its words here. */
export const EVENT_LABELS: Record<EventType, string> = {
  TransitionPlanned: 'Overdracht gepland',
  TransitionStateChanged: 'Status veranderd',
  TaskCompleted: 'Taak afgerond',
  TaskReopened: 'Taak opnieuw geopend',
  MilestoneMet: 'Mijlpaal gehaald',
  MilestoneReopened: 'Mijlpaal weer open',
  MilestoneSignedOff: 'Mijlpaal afgetekend',
  GoLiveMoved: 'Startdatum verzet',
  TransitionAtRisk: 'Risico: niet alle verplichte mijlpalen gehaald op de startdatum',
  GoDecided: 'Besloten om toch te starten',
  TransitionWentLive: 'Overdracht gestart',
  TransitionCancelled: 'Overdracht geannuleerd',
  NotificationSent: 'Bericht verstuurd',
  ClientImportStarted: 'Cliëntenlijst wordt ingelezen',
  ClientImportFinished: 'Cliëntenlijst ingelezen',
  ClientTransfersCounted: 'Cliënten opnieuw geteld',
  ResidentCampaignStarted: 'Bewonersinformatie gestart',
  ResidentCampaignBehindSchedule: 'Bewonersinformatie loopt achter',
  ResidentCampaignBackOnSchedule: 'Bewonersinformatie weer op schema',
  ResidentCampaignCompleted: 'Alle bewoners geïnformeerd',
  ResidentCampaignCancelled: 'Bewonersinformatie gestopt',
  ClientListed: 'Cliënt op de lijst gezet',
  ClientInformed: 'Cliënt geïnformeerd',
  ConsentGiven: 'Cliënt gaf toestemming',
  ConsentRefused: 'Cliënt gaf geen toestemming',
  ClientFileTransferred: 'Dossier overgedragen',
  ClientFileDownloaded: 'Dossier gedownload',
  IntakePlanned: 'Intake gepland',
  TransferAccepted: 'Cliënt overgenomen',
  TransferEnded: 'Overdracht van cliënt gestopt',
  TransferFinished: 'Overdracht van cliënt klaar',
  TransferReminderSent: 'Herinnering over cliënt verstuurd',
  PersonalDataErased: 'Persoonsgegevens gewist',
  CampaignDrafted: 'Bericht aan bewoners opgesteld',
  CampaignEdited: 'Bericht aan bewoners aangepast',
  CampaignApproved: 'Bericht aan bewoners goedgekeurd',
  RecipientsFrozen: 'Ontvangers vastgelegd',
  CampaignPaused: 'Versturen gepauzeerd',
  CampaignResumed: 'Versturen hervat',
  CampaignCancelled: 'Bericht aan bewoners geannuleerd',
  EmailPageSent: 'E-mails verstuurd',
  LetterBatchRendered: 'Brieven klaargezet voor de drukker',
  LetterBatchHandedToPrint: 'Brieven naar de drukker',
  LetterBatchPosted: 'Brieven gepost',
  CampaignProjected: 'Einddatum berekend',
  CampaignBehindSchedule: 'Versturen loopt achter',
  CampaignBackOnSchedule: 'Versturen weer op schema',
  CampaignCompleted: 'Alle berichten verstuurd',
  AudienceImported: 'Adressen of abonnees ingelezen',
  SubscriberErased: 'Gegevens van een abonnee gewist',
};

/** One line of the timeline as the page shows it. */
export interface TimelineLine {
  /** ISO instant, for `<time datetime>`. */
  at: string;
  /** `1 december 2026, 14:05` (Europe/Amsterdam). */
  when: string;
  label: string;
  /** The task or milestone it concerns, by its (English) title. */
  subject: string | null;
  /** Dutch details: "van Gepland naar In voorbereiding", "van 1 juni 2027 naar 1 juli 2027". */
  detail: string | null;
}

const TIME = new Intl.DateTimeFormat('nl-NL', { timeZone: AMSTERDAM, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: AMSTERDAM, year: 'numeric', month: '2-digit', day: '2-digit' });

/** An instant as `1 december 2026, 14:05` in Europe/Amsterdam. */
export function dutchDateTime(at: Date): string {
  return `${dutchDate(DAY.format(at))}, ${TIME.format(at)}`;
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

/** An event of the handover's audit trail as a line: never its free text (notes, reasons), only codes, titles and dates. */
export function timelineLine(
  event: { at: Date | string; type: string; data: Record<string, unknown> | null },
  titles: { tasks: ReadonlyMap<string, string>; milestones: ReadonlyMap<string, string> },
): TimelineLine {
  const at = new Date(event.at);
  const data = event.data ?? {};
  const taskId = text(data.taskId);
  const milestoneId = text(data.milestoneId);
  const subject = (taskId && (titles.tasks.get(taskId) ?? taskId)) || (milestoneId && (titles.milestones.get(milestoneId) ?? milestoneId)) || null;
  return {
    at: at.toISOString(),
    when: dutchDateTime(at),
    label: EVENT_LABELS[event.type as EventType] ?? 'Gebeurtenis vastgelegd',
    subject,
    detail: detailOf(event.type, data),
  };
}

function detailOf(type: string, data: Record<string, unknown>): string | null {
  if (type === 'TransitionStateChanged') {
    const from = STATE_LABELS[data.from as TransitionState];
    const to = STATE_LABELS[data.to as TransitionState];
    return from && to ? `van ${from} naar ${to}` : null;
  }
  if (type === 'GoLiveMoved' && text(data.from) && text(data.to)) return `van ${dutchDate(text(data.from)!)} naar ${dutchDate(text(data.to)!)}`;
  return null;
}
