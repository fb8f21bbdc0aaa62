import type { NextAction } from '../../../clients/next-step';

const NEXT_ACTIONS: Record<NextAction, string> = {
  inform: 'Cliënt informeren',
  'record-consent': 'Toestemming vastleggen',
  'transfer-file': 'Dossier overdragen',
  'plan-intake': 'Intake plannen',
  accept: 'Cliënt overnemen',
  end: 'Overdracht beëindigen',
};

/** What a client transfer needs next, in Dutch. */
export const nextActionLabel = (action: NextAction) => NEXT_ACTIONS[action];

/** Which side of a transfer the organisation is on. */
export const transferSide = (outgoing: boolean): 'outgoing' | 'incoming' => (outgoing ? 'outgoing' : 'incoming');

/** Longest note with a completed task (as the API takes it). */
export const NOTE_MAX_LENGTH = 500;

/**
 * Why a task could not be completed, in Dutch, from the refusal the API would give (its status
 * and English message); shown next to the note field.
 */
export function taskRefusal(status: number, message = ''): string {
  switch (status) {
    case 400:
      return `De notitie klopt niet. Gebruik gewone tekst van hoogstens ${NOTE_MAX_LENGTH} tekens.`;
    case 403:
      return 'Deze taak is van een andere organisatie. U kunt hem niet afronden.';
    case 404:
      return 'Deze taak bestaat niet (meer).';
    case 409:
      if (/done already/.test(message)) return 'Deze taak is al afgerond.';
      if (/waits for/.test(message)) return 'Deze taak wacht op andere taken. Die moeten eerst klaar zijn.';
      if (/cancelled|ended/.test(message)) return 'Deze overdracht is geannuleerd of afgelopen. De taak kan niet meer worden afgerond.';
      return 'Deze taak kan nu niet worden afgerond.';
    case 503:
      return 'Dat lukte nu niet. Er is niets opgeslagen. Probeer het over een paar minuten opnieuw.';
    default:
      return 'Dat lukte niet. Er is niets opgeslagen. Probeer het opnieuw.';
  }
}
