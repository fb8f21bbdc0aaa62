import { CSRF_REFUSED, errorPageFor } from '../../src/web/errors/error-pages';
import { taskRefusal } from '../../src/web/pages/inbox/inbox-labels';
import { leaveFlash, takeFlash } from '../../src/web/page-locals';
import { homeOf, signInRefusal } from '../../src/web/pages/sign-in/sign-in-messages';
import { pastAbsoluteExpiry, sessionLifetimes } from '../../src/web/session/session-expiry';
import { isAsset, isWebPage, isWebPath } from '../../src/web/web-paths';

describe('web pages: paths, sessions, messages', () => {
  it('tells the pages from the JSON API by path', () => {
    for (const page of ['/', '/inloggen', '/uitloggen', '/toegankelijkheid', '/taken', '/taken/rotterdam.feijenoord.2022-06-01/kick-off/afronden']) {
      expect(isWebPage(page)).toBe(true);
    }
    for (const api of ['/transitions', '/me/tasks', '/health', '/api/docs', '/takenlijst', '/inloggen/x']) expect(isWebPage(api)).toBe(false);
    expect(isAsset('/assets/0123456789ab/site.css')).toBe(true);
    expect(isWebPath('/assets/0123456789ab/site.css')).toBe(true);
    expect(isWebPath('/transitions')).toBe(false);
  });

  it('ends a session at its absolute lifetime, however active', () => {
    const lifetimes = sessionLifetimes(30, 12);
    expect(lifetimes).toEqual({ idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 });
    expect(sessionLifetimes(0.2, 1).idleMs).toBe(12_000);
    const signedInAt = Date.parse('2026-12-01T08:00:00Z');
    expect(pastAbsoluteExpiry(signedInAt, Date.parse('2026-12-01T19:59:59Z'), lifetimes)).toBe(false);
    expect(pastAbsoluteExpiry(signedInAt, Date.parse('2026-12-01T20:00:00Z'), lifetimes)).toBe(true);
  });

  it('shows a flash message once', () => {
    const session: { flash?: string } = {};
    leaveFlash(session, 'De taak is afgerond.');
    expect(takeFlash(session)).toBe('De taak is afgerond.');
    expect(takeFlash(session)).toBeUndefined();
    expect(takeFlash(undefined)).toBeUndefined();
  });

  it('maps errors to Dutch pages, never to the English message', () => {
    expect(errorPageFor(403)).toMatchObject({ status: 403, title: 'Geen toegang' });
    expect(errorPageFor(403, CSRF_REFUSED)).toMatchObject({ status: 403, title: 'Formulier verlopen' });
    expect(errorPageFor(404).title).toBe('Pagina niet gevonden');
    expect(errorPageFor(500).title).toBe('Er ging iets mis');
    expect(errorPageFor(502).title).toBe('Er ging iets mis');
    expect(errorPageFor(418).title).toBe('Dit verzoek klopt niet');
    expect(JSON.stringify(errorPageFor(403, 'this needs the role coordinator; you are provider'))).not.toContain('coordinator');
  });

  it('says in Dutch why a task could not be completed', () => {
    expect(taskRefusal(409, 'the task is done already')).toBe('Deze taak is al afgerond.');
    expect(taskRefusal(409, 'the task waits for kick-off to be done first')).toContain('wacht op andere taken');
    expect(taskRefusal(409, 'the handover is cancelled')).toContain('geannuleerd');
    expect(taskRefusal(403, 'the task is assigned to another organisation')).toContain('andere organisatie');
    expect(taskRefusal(404)).toContain('bestaat niet');
    expect(taskRefusal(503)).toContain('niets opgeslagen');
    expect(taskRefusal(400)).toContain('500 tekens');
  });

  it('sends a provider to its inbox after signing in, others to the overview; refusals in Dutch', () => {
    expect(homeOf('provider')).toBe('/taken');
    expect(homeOf('coordinator')).toBe('/');
    expect(homeOf('auditor')).toBe('/');
    expect(homeOf('operator')).toBe('/beheer');
    expect(signInRefusal('expired')).toContain('verlopen');
    expect(signInRefusal('empty')).toBe('Vul uw toegangscode in.');
    expect(signInRefusal('blocked')).toContain('te veel pogingen');
  });
});
