import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  acceptTransferUpdate,
  informClientUpdate,
  planIntakeUpdate,
  recordConsentUpdate,
} from '../../../../workflows/client-transfer/definitions';
import type { AuthenticatedUser } from '../../../auth/auth.types';
import { INFORM_CHANNELS, InformChannel, TransferStep } from '../../../clients/client.events';
import type { BulkOutcome, BulkStatus, BulkTransferCommands } from '../../../clients/transfers/bulk-commands';
import {
  AcceptTransferDto,
  InformClientDto,
  MAX_INTAKE_YEARS_AHEAD,
  MAX_YEARS_BACK,
  PlanIntakeDto,
  RecordConsentDto,
} from '../../../clients/transfers/transfer-commands.dto';

/** A field of a bulk action's form, named as the API's body names it. */
export type BulkField = 'date' | 'channel' | 'given';

/**
 * A step's action for all transfers waiting there: whose move it is, its form, and how it is
 * sent — through BulkTransferCommands with the same update and body as the JSON API's bulk route,
 * its rules checked by the same DTO.
 */
export interface BulkAction {
  step: TransferStep;
  side: 'outgoing' | 'incoming';
  title: string;
  explanation: string;
  fields: BulkField[];
  dateLabel: string;
  dateRule: string;
  /** Checks the form's values against the API's DTO; the command's fields, or the fields that break a rule. */
  read(values: Record<BulkField, unknown>): { command: Record<string, unknown> } | { invalid: BulkField[] };
  send(bulk: BulkTransferCommands, transitionId: string, pseudonyms: string[], user: AuthenticatedUser, command: Record<string, unknown>): Promise<BulkOutcome>;
}

const RECENT_DAY = `Vul een echte datum in: vandaag of eerder, en niet langer dan ${MAX_YEARS_BACK} jaar geleden.`;

/** Fields the API's DTO class checks, taken from the form (and nothing else). */
function reader<Dto extends object>(dto: new () => Dto, fields: BulkField[]): BulkAction['read'] {
  return (values) => {
    const plain = Object.fromEntries(fields.map((field) => [field, values[field]]));
    const errors = validateSync(plainToInstance(dto, plain), { forbidUnknownValues: true });
    if (errors.length > 0) return { invalid: fields.filter((field) => errors.some((error) => error.property === field)) };
    return { command: plain };
  };
}

const ACTIONS: BulkAction[] = [
  {
    step: 'listed',
    side: 'outgoing',
    title: 'Cliënten informeren',
    explanation: 'Leg vast dat u deze cliënten heeft verteld over de overdracht, en hen om toestemming heeft gevraagd.',
    fields: ['date', 'channel'],
    dateLabel: 'Datum waarop u de cliënten informeerde',
    dateRule: RECENT_DAY,
    read: reader(InformClientDto, ['date', 'channel']),
    send: (bulk, transitionId, pseudonyms, user, command) =>
      bulk.run(transitionId, pseudonyms, user, 'outgoing', informClientUpdate, { date: command.date as string, channel: command.channel as InformChannel }),
  },
  {
    step: 'informed',
    side: 'outgoing',
    title: 'Toestemming vastleggen',
    explanation: 'Leg voor al deze cliënten hetzelfde antwoord vast. Gaf iemand een ander antwoord? Leg dat dan apart vast.',
    fields: ['given', 'date'],
    dateLabel: 'Datum van het antwoord',
    dateRule: `${RECENT_DAY} Niet vóór de dag waarop u de cliënten informeerde.`,
    read: reader(RecordConsentDto, ['given', 'date']),
    send: (bulk, transitionId, pseudonyms, user, command) =>
      bulk.run(transitionId, pseudonyms, user, 'outgoing', recordConsentUpdate, { given: command.given as boolean, date: command.date as string }),
  },
  {
    step: 'file-transferred',
    side: 'incoming',
    title: 'Intake plannen',
    explanation: 'Plan de intake van al deze cliënten op dezelfde dag.',
    fields: ['date'],
    dateLabel: 'Datum van de intake',
    dateRule: `Vul een echte datum in: niet langer dan ${MAX_YEARS_BACK} jaar geleden en niet meer dan ${MAX_INTAKE_YEARS_AHEAD} jaar vooruit.`,
    read: reader(PlanIntakeDto, ['date']),
    send: (bulk, transitionId, pseudonyms, user, command) =>
      bulk.run(transitionId, pseudonyms, user, 'incoming', planIntakeUpdate, { date: command.date as string }),
  },
  {
    step: 'intake-planned',
    side: 'incoming',
    title: 'Cliënten overnemen',
    explanation: 'Leg vast dat u de zorg voor deze cliënten heeft overgenomen.',
    fields: ['date'],
    dateLabel: 'Datum waarop u de cliënten overnam',
    dateRule: RECENT_DAY,
    read: reader(AcceptTransferDto, ['date']),
    send: (bulk, transitionId, pseudonyms, user, command) =>
      bulk.run(transitionId, pseudonyms, user, 'incoming', acceptTransferUpdate, { date: command.date as string }),
  },
];

/** The bulk action of transfers waiting at `step`, if that step has one (a file moves one client at a time). */
export function bulkActionAt(step: string): BulkAction | undefined {
  return ACTIONS.find((action) => action.step === step);
}

export const CHANNEL_LABELS: Record<InformChannel, string> = {
  letter: 'Met een brief',
  phone: 'Aan de telefoon',
  'in-person': 'In een gesprek',
  'e-mail': 'Met een e-mail',
};

export const CHANNELS = INFORM_CHANNELS.map((value) => ({ value, label: CHANNEL_LABELS[value] }));

/** A field's refusal in Dutch, shown next to it. */
export function fieldRefusal(action: BulkAction, field: BulkField): string {
  if (field === 'date') return action.dateRule;
  if (field === 'channel') return 'Kies hoe u de cliënten heeft geïnformeerd.';
  return 'Kies ja of nee.';
}

/** The form's values as the API's body has them: `given` from ja / nee; anything else as sent, for the DTO to refuse. */
export function formValues(body: Record<string, unknown>): Record<BulkField, unknown> {
  const given = body.given === 'ja' ? true : body.given === 'nee' ? false : body.given;
  return { date: body.date, channel: body.channel, given };
}

const REFUSED: Record<Exclude<BulkStatus, 200>, string> = {
  400: 'met een datum die niet past bij een eerdere stap',
  403: 'niet van uw organisatie of niet uw beurt',
  404: 'niet meer in deze overdracht',
  409: 'niet meer bij deze stap',
  503: 'niet bereikt, probeer het opnieuw',
};

const clients = (n: number) => (n === 1 ? '1 cliënt' : `${n} cliënten`);

/** "12 cliënten bijgewerkt, 1 geweigerd: 1 niet meer bij deze stap." */
export function bulkResultMessage({ results, counts }: BulkOutcome): string {
  const done = `${clients(counts.done)} bijgewerkt`;
  if (counts.refused === 0) return `${done}.`;
  const byStatus = new Map<Exclude<BulkStatus, 200>, number>();
  for (const { status } of results) if (status !== 200) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  const reasons = [...byStatus].sort(([a], [b]) => a - b).map(([status, n]) => `${n} ${REFUSED[status]}`);
  return `${done}, ${counts.refused} geweigerd: ${reasons.join('; ')}.`;
}
