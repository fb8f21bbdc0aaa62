/** The fields of the handover page a refusal can be shown next to. */
export type RefusalField = 'goLiveDate' | 'reason' | 'milestone' | 'goDecisionReason' | 'cancelReason' | 'reopenReason';

/** A refusal shown next to the field it concerns. */
export interface FieldRefusal {
  field: RefusalField;
  message: string;
}

const TRY_AGAIN = 'Het lukte nu niet. Er is niets opgeslagen. Probeer het over een minuut opnieuw.';

/** The API's English refusal (validation or domain) for a field, in Dutch (B1); unknown ones get a general sentence. */
const GO_LIVE_MESSAGES: Array<[RegExp, FieldRefusal]> = [
  [/goLiveDate must be a date as|goLiveDate must be a real calendar date/, { field: 'goLiveDate', message: 'Vul een bestaande datum in, bijvoorbeeld 31-03-2027.' }],
  [/years after today/, { field: 'goLiveDate', message: 'De nieuwe startdatum mag hoogstens 10 jaar vooruit liggen.' }],
  [/goLiveDate must be after today/, { field: 'goLiveDate', message: 'De nieuwe startdatum moet na vandaag liggen.' }],
  [/goLiveDate is the current go-live date/, { field: 'goLiveDate', message: 'Dit is al de startdatum. Kies een andere datum.' }],
  [/expectedGoLiveDate is stale/, { field: 'goLiveDate', message: 'Iemand anders heeft de startdatum net verzet. Bekijk de nieuwe datum en probeer het opnieuw.' }],
  [/^reason/, { field: 'reason', message: 'Schrijf op waarom (minstens een paar woorden).' }],
];

export function goLiveRefusal(status: number, message: string): FieldRefusal {
  for (const [pattern, refusal] of GO_LIVE_MESSAGES) if (pattern.test(message)) return refusal;
  if (status === 409) return { field: 'goLiveDate', message: 'De startdatum kan nu niet meer worden verzet: de overdracht is gestart, gestopt of afgerond.' };
  if (status === 503) return { field: 'goLiveDate', message: 'Het lukte nu niet. Probeer het over een minuut opnieuw.' };
  return { field: 'goLiveDate', message: 'Deze startdatum kan niet. Kies een andere datum.' };
}

export function signOffRefusal(status: number): FieldRefusal {
  if (status === 409) return { field: 'milestone', message: 'Deze mijlpaal is al afgetekend, of de overdracht is gestopt of afgerond.' };
  if (status === 503) return { field: 'milestone', message: 'Het lukte nu niet. Probeer het over een minuut opnieuw.' };
  return { field: 'milestone', message: 'Deze mijlpaal kan nu niet worden afgetekend.' };
}

/** The coordinator's actions that need a reason: each has its reason field on the page. */
export type ReasonAction = 'go-decision' | 'cancel' | 'reopen';

const REASON_FIELDS: Record<ReasonAction, RefusalField> = {
  'go-decision': 'goDecisionReason',
  cancel: 'cancelReason',
  reopen: 'reopenReason',
};

const CONFLICTS: Record<ReasonAction, Array<[RegExp, string]>> = {
  'go-decision': [[/not at risk/, 'Er is geen besluit nodig: de overdracht wacht niet (meer) op de startdatum.']],
  cancel: [[/live/, 'Een gestarte overdracht kan niet meer worden geannuleerd.']],
  reopen: [[/not done/, 'Deze taak is niet afgerond. Alleen een afgeronde taak kan opnieuw open.']],
};

/** Why a go decision, a cancellation or a reopened task was refused, in Dutch, next to its reason field. */
export function reasonRefusal(action: ReasonAction, status: number, message = ''): FieldRefusal {
  const field = REASON_FIELDS[action];
  if (status === 400) return { field, message: 'Schrijf op waarom: minstens 3 en hoogstens 500 tekens, gewone tekst.' };
  if (status === 503) return { field, message: TRY_AGAIN };
  if (status === 409) {
    const known = CONFLICTS[action].find(([pattern]) => pattern.test(message));
    if (known) return { field, message: known[1] };
    if (/cancelled|closed/.test(message)) return { field, message: 'De overdracht is geannuleerd of afgesloten. Er kan niets meer veranderen.' };
    return { field, message: 'Iemand anders heeft de overdracht net veranderd. Bekijk de pagina en probeer het opnieuw.' };
  }
  return { field, message: 'Dat lukte niet. Er is niets opgeslagen.' };
}
