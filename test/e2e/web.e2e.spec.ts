import type { Browser, Page } from 'playwright-core';
import { ListeningApi, startListeningApi } from '../support/listening-api';
import { goLiveInDays } from '../support/plans';
import { accessibilityViolations, launchChromium, screenshot, signInThroughPage, submit } from '../support/browser';

/**
 * The web pages in a real browser (Debian's Chromium through playwright-core) against the
 * service listening on a real Temporal dev server and a database of its own: signing in,
 * the coordinator's overview and its filters, the provider's inbox, refusals (403, CSRF),
 * session expiry and sign-out, axe-core on every page, a screenshot of each.
 */
describe('web pages', () => {
  /** Short, so a test can wait it out; long enough for every other test's steps. */
  const IDLE_SECONDS = 12;
  let api: ListeningApi;
  let browser: Browser;
  const feijenoord = `rotterdam.feijenoord.${goLiveInDays(120)}`;

  const call = async (who: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${api.users[who].token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };

  const taskStatus = async (transitionId: string, taskId: string): Promise<string> => {
    const [row] = await api.db.app.query('SELECT status FROM transition_tasks WHERE transition_id = $1 AND task_id = $2', [transitionId, taskId]);
    return row.status;
  };

  /** A fresh browser (no cookies) signed in as `who` through the sign-in page. */
  const signedIn = (who: string, options?: { javaScript?: boolean }) => signInThroughPage(browser, api.url, api.users[who].token, options);

  const expectAccessible = async (page: Page, name: string) => {
    await screenshot(page, name);
    expect(await accessibilityViolations(page)).toEqual([]);
  };

  beforeAll(async () => {
    process.env.WEB_SESSION_IDLE_MINUTES = String(IDLE_SECONDS / 60);
    try {
      api = await startListeningApi(`web-${process.pid}`, [
        ['coordinator', 'coordinator', 'rotterdam'],
        ['maas', 'provider', 'welzijn-maas'],
        ['maas-collega', 'provider', 'welzijn-maas'],
        ['sterk', 'provider', 'samen-sterk'],
      ]);
    } finally {
      delete process.env.WEB_SESSION_IDLE_MINUTES;
    }
    browser = await launchChromium();
    const plan = (district: string, incomingProvider: string, goLiveDate: string) => ({
      municipality: 'rotterdam',
      district,
      outgoingProvider: 'welzijn-maas',
      incomingProvider,
      goLiveDate,
    });
    expect((await call('coordinator', 'POST', '/transitions', plan('feijenoord', 'buurtkracht', goLiveInDays(120)))).status).toBe(201);
    expect((await call('coordinator', 'POST', '/transitions', plan('charlois', 'samen-sterk', goLiveInDays(200)))).status).toBe(201);
    // The providers' tasks wait for the kick-off (the municipality's).
    expect((await call('coordinator', 'POST', `/transitions/${feijenoord}/tasks/kick-off/complete`)).status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('shows the sign-in page and the accessibility statement without signing in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const signIn = await page.goto(`${api.url}/inloggen`);
    expect(signIn?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    const headers = signIn!.headers();
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    await expectAccessible(page, 'inloggen');

    await page.getByLabel('Toegangscode').fill('ovd_not-a-real-token');
    await submit(page, page.getByRole('button', { name: 'Inloggen' }));
    await expect(page.locator('.utrecht-form-field-error-message').textContent()).resolves.toContain('klopt niet');
    await expectAccessible(page, 'inloggen-fout');

    await page.goto(`${api.url}/toegankelijkheid`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Toegankelijkheidsverklaring');
    await expectAccessible(page, 'toegankelijkheid');

    // A page needs a session: without one, the browser is sent to sign in.
    await page.goto(`${api.url}/taken`);
    expect(new URL(page.url()).pathname).toBe('/inloggen');
    await context.close();
  });

  it('serves the NL Design System style sheets as assets cached for a year', async () => {
    const html = await (await fetch(`${api.url}/inloggen`)).text();
    const sheets = [...html.matchAll(/href="(\/assets\/[^"]+\.css)"/g)].map((match) => match[1]);
    expect(sheets).toHaveLength(3);
    for (const sheet of sheets) {
      const response = await fetch(`${api.url}${sheet}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('content-type')).toContain('text/css');
    }
  });

  it('lets a coordinator sign in, see every handover and filter them in the URL', async () => {
    const { context, page } = await signedIn('coordinator');
    expect(new URL(page.url()).pathname).toBe('/');
    const cookie = (await context.cookies()).find((c) => c.name === 'overdracht_sessie');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const rows = page.locator('table.site-overview tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    // Least time to act first: Feijenoord goes live sooner.
    await expect(rows.nth(0).locator('th').textContent()).resolves.toBe('Feijenoord');
    await expect(rows.nth(0).textContent()).resolves.toContain('over 120 dagen');
    await expect(rows.nth(0).locator('progress').count()).resolves.toBeGreaterThan(0);
    await expectAccessible(page, 'overzicht');

    await page.getByLabel('Aanbieder').selectOption('samen-sterk');
    await submit(page, page.getByRole('button', { name: 'Filter toepassen' }));
    expect(new URL(page.url()).searchParams.get('aanbieder')).toBe('samen-sterk');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.nth(0).locator('th').textContent()).resolves.toBe('Charlois');
    await expectAccessible(page, 'overzicht-gefilterd');

    // The URL is the view: opened again (a bookmark), it keeps its filters.
    await page.goto(page.url());
    await expect(page.getByLabel('Aanbieder').inputValue()).resolves.toBe('samen-sterk');
    await expect(rows.count()).resolves.toBe(1);
    await page.goto(`${api.url}/?status=cancelled`);
    await expect(page.locator('table.site-overview').count()).resolves.toBe(0);
    await context.close();
  });

  it('works by keyboard and without JavaScript: skip link first, the filter form by Enter', async () => {
    const { context, page } = await signedIn('coordinator', { javaScript: false });
    expect(new URL(page.url()).pathname).toBe('/');
    await page.keyboard.press('Tab');
    await expect(page.locator(':focus').textContent()).resolves.toBe('Ga direct naar de inhoud');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#inhoud$/);
    await page.getByLabel('Status').focus();
    await page.keyboard.press('ArrowDown'); // "Gepland"
    await page.getByRole('button', { name: 'Filter toepassen' }).focus();
    await Promise.all([page.waitForURL(/\?status=/), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).searchParams.get('status')).toBe('planned');
    await expect(page.locator('table.site-overview tbody tr').count()).resolves.toBe(1);
    await context.close();
  });

  it('lets a provider complete a task with a note; it leaves the inbox', async () => {
    const { context, page } = await signedIn('maas');
    expect(new URL(page.url()).pathname).toBe('/taken');
    await expectAccessible(page, 'taken');
    // Its tasks of both handovers (Feijenoord and Charlois), by due date.
    const staffTasks = page.locator('li.site-task', { hasText: 'Agree on staff moving to the incoming provider' });
    await expect(staffTasks.count()).resolves.toBe(2);

    // Refused by the workflow (it waits for another task): said in Dutch next to the field, nothing recorded.
    const waiting = page.locator('li.site-task', { has: page.locator(`form[action="/taken/${feijenoord}/client-files/afronden"]`) });
    await submit(page, waiting.getByRole('button', { name: /Taak afronden/ }));
    await expect(page.locator('.utrecht-form-field-error-message').textContent()).resolves.toContain('wacht op andere taken');
    expect(await taskStatus(feijenoord, 'client-files')).toBe('open');
    await expectAccessible(page, 'taken-geweigerd');

    const staff = page.locator('li.site-task', { has: page.locator(`form[action="/taken/${feijenoord}/staff-agreements/afronden"]`) });
    await staff.getByRole('textbox').fill('Afspraken staan in het verslag van 3 maart.');
    await submit(page, staff.getByRole('button', { name: /Taak afronden/ }));
    expect(new URL(page.url()).pathname).toBe('/taken');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('is afgerond');
    await expect(page.locator(`form[action="/taken/${feijenoord}/staff-agreements/afronden"]`).count()).resolves.toBe(0);
    expect(await taskStatus(feijenoord, 'staff-agreements')).toBe('done');
    await expectAccessible(page, 'taken-na-afronden');
    // The message is shown once.
    await page.reload();
    await expect(page.locator('.site-flash').count()).resolves.toBe(0);
    await context.close();
  });

  it('shows a provider the Dutch 403 page on the coordinator overview, and a 404 page for an unknown page', async () => {
    const { context, page } = await signedIn('sterk');
    const forbidden = await page.goto(`${api.url}/`);
    expect(forbidden?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Geen toegang');
    // Its way on is the provider's own start page, the inbox.
    await expect(page.getByRole('link', { name: 'Naar de startpagina' }).getAttribute('href')).resolves.toBe('/taken');
    await expectAccessible(page, 'geen-toegang');

    const missing = await page.goto(`${api.url}/taken/bestaat-niet`);
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Pagina niet gevonden');
    await expectAccessible(page, 'niet-gevonden');
    await context.close();
  });

  it("gives two users of one organisation the same inbox, each form with the reader's own CSRF token", async () => {
    const readers = [await signedIn('maas'), await signedIn('maas-collega')];
    const tokensOf = async (page: Page) => {
      await page.goto(`${api.url}/taken`);
      return page.locator('input[name="_csrf"]').evaluateAll((inputs) => inputs.map((input) => input.getAttribute('value')!));
    };
    const [own, colleagues] = [await tokensOf(readers[0].page), await tokensOf(readers[1].page)];
    // The sign-out form and one form per open task.
    expect(own.length).toBeGreaterThan(2);
    expect(colleagues).toHaveLength(own.length);
    expect(new Set(own).size).toBe(1);
    expect(new Set(colleagues).size).toBe(1);
    expect(own[0]).not.toBe(colleagues[0]);
    await expect(readers[0].page.locator('main').innerHTML()).resolves.toBe((await readers[1].page.locator('main').innerHTML()).replaceAll(colleagues[0], own[0]));
    // A colleague's token is no use in one's own session.
    const action = `${api.url}/taken/${feijenoord}/residents-informed-outgoing/afronden`;
    const borrowed = await readers[0].page.request.post(action, { form: { _csrf: colleagues[0], note: 'met andermans token' }, maxRedirects: 0 });
    expect(borrowed.status()).toBe(403);
    expect(await taskStatus(feijenoord, 'residents-informed-outgoing')).toBe('open');
    for (const reader of readers) await reader.context.close();
  });

  it('refuses a form without or with a wrong CSRF token (403), and records nothing', async () => {
    const { context, page } = await signedIn('maas');
    const action = `${api.url}/taken/${feijenoord}/residents-informed-outgoing/afronden`;
    const withoutToken = await page.request.post(action, { form: { note: 'zonder token' }, maxRedirects: 0 });
    expect(withoutToken.status()).toBe(403);
    expect(await withoutToken.text()).toContain('Formulier verlopen');
    const wrongToken = await page.request.post(action, { form: { _csrf: 'f'.repeat(64), note: 'fout token' }, maxRedirects: 0 });
    expect(wrongToken.status()).toBe(403);
    expect(await taskStatus(feijenoord, 'residents-informed-outgoing')).toBe('open');
    // Signing in needs the form's token too.
    const signIn = await fetch(`${api.url}/inloggen`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: api.users.maas.token }).toString(),
      redirect: 'manual',
    });
    expect(signIn.status).toBe(403);
    expect(signIn.headers.get('set-cookie')).toBeNull();
    await context.close();
  });

  it('ends a session after the idle time', async () => {
    const { context, page } = await signedIn('maas');
    expect(new URL(page.url()).pathname).toBe('/taken');
    await new Promise((resolve) => setTimeout(resolve, (IDLE_SECONDS + 2) * 1000));
    // The browser would have dropped the cookie by now; the server must refuse it too.
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'overdracht_sessie');
    const stale = cookie ?? (await context.storageState()).cookies.find((c) => c.name === 'overdracht_sessie');
    if (stale) {
      const response = await fetch(`${api.url}/taken`, { headers: { cookie: `${stale.name}=${stale.value}` }, redirect: 'manual' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/inloggen');
    }
    await page.goto(`${api.url}/taken`);
    expect(new URL(page.url()).pathname).toBe('/inloggen');
    await context.close();
  }, 60_000);

  it('ends a session at its absolute lifetime, however active', async () => {
    const { context, page } = await signedIn('maas');
    const sessions = () => api.db.app.query(`SELECT count(*)::int AS n FROM web_sessions WHERE sess::jsonb ? 'identity'`);
    const [{ n: before }] = await sessions();
    // Signed in long ago (beyond WEB_SESSION_ABSOLUTE_HOURS), still active: refused and removed.
    await api.db.app.query(
      `UPDATE web_sessions SET sess = jsonb_set(sess::jsonb, '{identity,signedInAt}', '0')::json
       WHERE sess::jsonb #>> '{identity,tokenHash}' = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [api.users.maas.token],
    );
    await page.goto(`${api.url}/taken`);
    expect(new URL(page.url()).pathname).toBe('/inloggen');
    const [{ n: after }] = await sessions();
    expect(after).toBe(before - 1);
    await context.close();
  });

  it('signs out server-side: the old cookie no longer opens a page', async () => {
    const { context, page } = await signedIn('maas');
    const cookie = (await context.cookies()).find((c) => c.name === 'overdracht_sessie')!;
    const withOldCookie = () => fetch(`${api.url}/taken`, { headers: { cookie: `${cookie.name}=${cookie.value}` }, redirect: 'manual' });
    expect((await withOldCookie()).status).toBe(200);
    const signOut = page.waitForResponse((response) => new URL(response.url()).pathname === '/uitloggen');
    await submit(page, page.getByRole('button', { name: 'Uitloggen' }));
    // Seen once under load in a full run: the page stayed on /uitloggen; say what it answered.
    const answered = await signOut;
    const landed = `${new URL(page.url()).pathname} after POST /uitloggen answered ${answered.status()}: ${await page.locator('h1').first().textContent()}`;
    expect(landed).toMatch(/^\/inloggen after POST \/uitloggen answered 303/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('uitgelogd');
    const after = await withOldCookie();
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/inloggen');
    await context.close();
  });

  it('leaves the JSON API as it was: bearer tokens only, JSON errors, no form bodies', async () => {
    const { context } = await signedIn('coordinator');
    const cookie = (await context.cookies()).find((c) => c.name === 'overdracht_sessie')!;
    const withSession = await fetch(`${api.url}/transitions`, { headers: { cookie: `${cookie.name}=${cookie.value}` } });
    expect(withSession.status).toBe(401);
    expect(await withSession.json()).toMatchObject({ message: 'a bearer token is required' });
    const form = await fetch(`${api.url}/transitions/${feijenoord}/tasks/go-no-go/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.users.coordinator.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'note=x',
    });
    expect(form.status).toBe(415);
    expect(form.headers.get('set-cookie')).toBeNull();
    await context.close();
  });
});
