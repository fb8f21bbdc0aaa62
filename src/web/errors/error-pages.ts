/** A web page's error as the browser shows it: a Dutch title and explanation (B1). */
export interface ErrorPage {
  status: number;
  title: string;
  text: string;
}

/** The refusal of a form sent without (or with a wrong) CSRF token. */
export const CSRF_REFUSED = 'the form is not from this site, or has expired';

const PAGES: Record<number, Omit<ErrorPage, 'status'>> = {
  400: { title: 'Dit verzoek klopt niet', text: 'Wat u stuurde, kunnen we niet lezen. Ga terug en probeer het opnieuw.' },
  403: { title: 'Geen toegang', text: 'U mag deze pagina niet bekijken. Denkt u dat dit niet klopt? Neem contact op met de transitiecoördinator van uw gemeente.' },
  404: { title: 'Pagina niet gevonden', text: 'Deze pagina bestaat niet (meer). Controleer het adres of ga naar de startpagina.' },
  405: { title: 'Dit kan hier niet', text: 'Deze pagina kan dat verzoek niet uitvoeren. Ga naar de startpagina.' },
  413: { title: 'Te veel tekst', text: 'Wat u stuurde is te lang. Maak het korter en probeer het opnieuw.' },
  415: { title: 'Dit verzoek klopt niet', text: 'Gebruik het formulier op de pagina.' },
  429: { title: 'Even wachten', text: 'Er waren te veel pogingen. Wacht een paar minuten en probeer het dan opnieuw.' },
  503: { title: 'Even niet beschikbaar', text: 'De dienst is nu druk of even niet bereikbaar. Probeer het over een paar minuten opnieuw.' },
};

const SERVER_ERROR = { title: 'Er ging iets mis', text: 'Dit is onze fout. Probeer het later opnieuw. Blijft het misgaan? Meld het bij de beheerder.' };

const CSRF_PAGE = {
  title: 'Formulier verlopen',
  text: 'Het formulier is verlopen of komt niet van deze site. Er is niets opgeslagen. Laad de pagina opnieuw en probeer het nog eens.',
};

/** The page for an error status (and, for 403, whether it was the CSRF check); never the English API message. */
export function errorPageFor(status: number, message?: string): ErrorPage {
  if (status === 403 && message === CSRF_REFUSED) return { status, ...CSRF_PAGE };
  const known = PAGES[status] ?? (status >= 500 ? SERVER_ERROR : PAGES[400]);
  return { status, ...known };
}
