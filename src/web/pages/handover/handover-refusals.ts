/** A refusal shown next to the field it concerns. */
export interface FieldRefusal {
  field: 'goLiveDate' | 'reason' | 'milestone';
  message: string;
}

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
