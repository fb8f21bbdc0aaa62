import type { Browser, Page } from 'playwright-core';
import { briefForecast } from '../../src/forecast/forecast-wording';
import { amsterdamToday } from '../../src/time/amsterdam';
import { addDays } from '../../src/time/calendar';
import { accessibilityViolations, launchChromium, screenshot, signInThroughPage, submit } from '../support/browser';
import { clientList } from '../support/client-lists';
import { eventually } from '../support/eventually';
import { ListeningApi, startListeningApi } from '../support/listening-api';
import { goLiveInDays } from '../support/plans';

/**
 * The paged lists of the web pages in a real browser (Debian's Chromium through playwright-core)
 * against the service on a real Temporal dev server: the coordinator's overview a page at a time
 * (filters in SQL across pages, the forecast on each row, a bad cursor refused), the provider's
 * inbox a page at a time, and a bulk action on client transfers through its confirmation page,
 * refused to another organisation. axe-core on every page, a screenshot of each.
 */
describe('web lists: paged overview and inbox, bulk actions', () => {
  let api: ListeningApi;
  let browser: Browser;
  const today = amsterdamToday();
  const id = (district: string, days: number) => `rotterdam.${district}.${goLiveInDays(days)}`;
  const feijenoord = id('feijenoord', 120);
  /** The handover whose clients are imported (Feijenoord's later one: clients without progress would leave Feijenoord's forecast without a pace). */
  const later = id('feijenoord', 300);
  const handovers = [
    { district: 'feijenoord', days: 120, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht' },
    { district: 'charlois', days: 200, outgoingProvider: 'welzijn-maas', incomingProvider: 'samen-sterk' },
    { district: 'hillegersberg-schiebroek', days: 60, outgoingProvider: 'stadswerk-zuid', incomingProvider: 'buurtkracht' },
    { district: 'ijsselmonde', days: 90, outgoingProvider: 'stadswerk-zuid', incomingProvider: 'samen-sterk' },
    { district: 'feijenoord', days: 300, outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht' },
  ];
  const withBuurtkracht = handovers.filter((h) => h.incomingProvider === 'buurtkracht').map((h) => id(h.district, h.days));

  const call = async (who: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${api.users[who].token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };

  const transferEvents = async (transitionId: string): Promise<number> => {
    const [row] = await api.db.app.query(`SELECT count(*)::int AS n FROM events WHERE stream_id LIKE $1`, [`transfer.${transitionId}.%`]);
    return row.n;
  };

  const steps = async (transitionId: string): Promise<string[]> =>
    (await call('maas', 'GET', `/transitions/${transitionId}/clients?limit=500`)).body.items.map((item: { step: string }) => item.step);

  const signedIn = (who: string, options?: { javaScript?: boolean }) => signInThroughPage(browser, api.url, api.users[who].token, options);

  const expectAccessible = async (page: Page, name: string) => {
    await screenshot(page, name);
    expect(await accessibilityViolations(page)).toEqual([]);
  };

  /** The handovers of the overview's rows, from their links. */
  const overviewIds = async (page: Page): Promise<string[]> =>
    (await page.locator('table.site-overview tbody tr th a').evaluateAll((links) => links.map((link) => link.getAttribute('href')!)))
      .map((href) => href.replace('/overdrachten/', ''));

  const taskKeys = async (page: Page): Promise<string[]> =>
    (await page.locator('li.site-task form').evaluateAll((forms) => forms.map((form) => form.getAttribute('action')!)))
      .map((action) => action.split('?')[0].replace(/^\/taken\//, '').replace(/\/afronden$/, ''));

  beforeAll(async () => {
    api = await startListeningApi(`web-lists-${process.pid}`, [
      ['coordinator', 'coordinator', 'rotterdam'],
      ['maas', 'provider', 'welzijn-maas'],
      ['sterk', 'provider', 'samen-sterk'],
      ['kracht', 'provider', 'buurtkracht'],
    ]);
    browser = await launchChromium();
    for (const { district, days, outgoingProvider, incomingProvider } of handovers) {
      const plan = { municipality: 'rotterdam', district, outgoingProvider, incomingProvider, goLiveDate: goLiveInDays(days) };
      expect((await call('coordinator', 'POST', '/transitions', plan)).status).toBe(201);
    }
    // Progress today gives Feijenoord a pace, so a ready date.
    expect((await call('coordinator', 'POST', `/transitions/${feijenoord}/tasks/kick-off/complete`)).status).toBe(200);

    const imported = await fetch(`${api.url}/transitions/${later}/clients/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.users.maas.token}`, 'content-type': 'text/csv' },
      body: clientList(3),
    });
    expect(imported.status).toBe(202);
    await eventually(async () => expect(await steps(later)).toEqual(['listed', 'listed', 'listed']), 60_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('pages the overview with the list cursor: the next page shows the next rows, a link leads back to the first', async () => {
    const { context, page } = await signedIn('coordinator');
    const first = (await call('coordinator', 'GET', '/transitions?limit=2')).body;
    const second = (await call('coordinator', 'GET', `/transitions?limit=2&cursor=${first.nextCursor}`)).body;
    const ids = (items: Array<{ transitionId: string }>) => items.map((item) => item.transitionId);

    await page.goto(`${api.url}/?aantal=2`);
    expect(await overviewIds(page)).toEqual(ids(first.items));
    await expect(page.getByRole('link', { name: 'Eerste pagina' }).count()).resolves.toBe(0);
    await expectAccessible(page, 'overzicht-pagina-1');

    await submit(page, page.getByRole('link', { name: 'Volgende pagina' }));
    const url = new URL(page.url());
    expect(url.searchParams.get('aantal')).toBe('2');
    expect(url.searchParams.get('na')).toBe(first.nextCursor);
    expect(await overviewIds(page)).toEqual(ids(second.items));
    await expectAccessible(page, 'overzicht-pagina-2');

    await submit(page, page.getByRole('link', { name: 'Eerste pagina' }));
    expect(new URL(page.url()).searchParams.get('na')).toBeNull();
    expect(await overviewIds(page)).toEqual(ids(first.items));

    // Sorted by go-live (kept in the URL and on the next page), the soonest first.
    await page.getByLabel('Volgorde').selectOption('start');
    await submit(page, page.getByRole('button', { name: 'Filter toepassen' }));
    expect(new URL(page.url()).searchParams.get('sortering')).toBe('start');
    await submit(page, page.getByRole('link', { name: 'Volgende pagina' }));
    expect(new URL(page.url()).searchParams.get('sortering')).toBe('start');
    const byGoLive = [...handovers].sort((a, b) => a.days - b.days).map((h) => id(h.district, h.days));
    expect(await overviewIds(page)).toEqual(byGoLive.slice(2, 4));
    await context.close();
  });

  it('filters the provider in SQL across pages, with every provider of the municipality to choose from', async () => {
    const { context, page } = await signedIn('coordinator');
    await page.goto(`${api.url}/?aantal=2`);
    await page.getByLabel('Aanbieder').selectOption('buurtkracht');
    await submit(page, page.getByRole('button', { name: 'Filter toepassen' }));
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ status: '', risico: '', aanbieder: 'buurtkracht', sortering: 'actie', aantal: '2' });
    const seen = await overviewIds(page);
    expect(seen).toHaveLength(2);
    // The choices come from every handover, not from this page.
    const choices = await page.getByLabel('Aanbieder').locator('option').evaluateAll((options) => options.map((o) => o.getAttribute('value')));
    expect(choices.sort()).toEqual(['', 'buurtkracht', 'samen-sterk', 'stadswerk-zuid', 'welzijn-maas']);

    await submit(page, page.getByRole('link', { name: 'Volgende pagina' }));
    expect(new URL(page.url()).searchParams.get('aanbieder')).toBe('buurtkracht');
    await expect(page.getByLabel('Aanbieder').inputValue()).resolves.toBe('buurtkracht');
    seen.push(...(await overviewIds(page)));
    await expect(page.getByRole('link', { name: 'Volgende pagina' }).count()).resolves.toBe(0);
    expect(seen.sort()).toEqual([...withBuurtkracht].sort());
    await expectAccessible(page, 'overzicht-aanbieder-pagina-2');
    await context.close();
  });

  it('shows the readiness forecast in brief on every row', async () => {
    const { context, page } = await signedIn('coordinator');
    const rows = page.locator('table.site-overview tbody tr');
    await expect(rows.count()).resolves.toBe(handovers.length);
    for (const { district, days } of handovers) {
      const forecast = (await call('coordinator', 'GET', `/transitions/${id(district, days)}/forecast`)).body;
      const row = page.locator('table.site-overview tbody tr', { has: page.locator(`a[href="/overdrachten/${id(district, days)}"]`) });
      await expect(row.locator('td.site-forecast').textContent()).resolves.toBe(briefForecast(forecast));
    }
    // Feijenoord has a pace: a ready date, before the start or late.
    const feijenoordForecast = await page
      .locator('table.site-overview tbody tr', { has: page.locator(`a[href="/overdrachten/${feijenoord}"]`) })
      .locator('td.site-forecast')
      .textContent();
    expect(feijenoordForecast).toMatch(/^klaar \d{1,2} [a-z]+( \d{4})?, (\d+ dag(en)? voor de start|.* te laat)$/);
    await context.close();
  });

  it('refuses a hostile or stale cursor in the URL with the Dutch 400 page', async () => {
    const { context, page } = await signedIn('coordinator');
    const goLivePage = (await call('coordinator', 'GET', '/transitions?limit=1&sort=go-live')).body;
    for (const query of ['na=bm90LWEtY3Vyc29y', `na=${goLivePage.nextCursor}`, 'na=a&na=b', 'na=', `na=${'A'.repeat(500)}`, "na=%27%3B+DROP+TABLE"]) {
      const response = await page.goto(`${api.url}/?${query}`);
      expect(response?.status()).toBe(400);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Dit verzoek klopt niet');
      expect(await page.content()).not.toContain('DROP');
    }
    await expectAccessible(page, 'overzicht-foute-cursor');
    // The inbox reads its cursors as strictly.
    const { context: providerContext, page: providerPage } = await signedIn('maas');
    expect((await providerPage.goto(`${api.url}/taken?taken=bm90LWEtY3Vyc29y`))?.status()).toBe(400);
    expect((await providerPage.goto(`${api.url}/taken?meldingen=${goLivePage.nextCursor}`))?.status()).toBe(400);
    expect((await providerPage.goto(`${api.url}/taken?clienten=${goLivePage.nextCursor}`))?.status()).toBe(400);
    await providerContext.close();
    await context.close();
  });

  it("pages the provider's open tasks by due date, as GET /me/tasks does", async () => {
    const { context, page } = await signedIn('maas');
    const first = (await call('maas', 'GET', '/me/tasks?status=open&limit=2')).body;
    const second = (await call('maas', 'GET', `/me/tasks?status=open&limit=2&cursor=${first.nextCursor}`)).body;
    const keys = (items: Array<{ transitionId: string; taskId: string }>) => items.map((task) => `${task.transitionId}/${task.taskId}`);

    await page.goto(`${api.url}/taken?aantal=2`);
    expect(await taskKeys(page)).toEqual(keys(first.items));
    await expectAccessible(page, 'taken-pagina-1');
    await submit(page, page.getByRole('link', { name: 'Volgende pagina met taken' }));
    expect(new URL(page.url()).searchParams.get('taken')).toBe(first.nextCursor);
    expect(new URL(page.url()).searchParams.get('aantal')).toBe('2');
    expect(await taskKeys(page)).toEqual(keys(second.items));
    await expectAccessible(page, 'taken-pagina-2');
    await submit(page, page.getByRole('link', { name: 'Eerste pagina met taken' }));
    expect(await taskKeys(page)).toEqual(keys(first.items));
    await context.close();
  });

  it('lets the outgoing provider inform all its waiting clients at once, through a confirmation, also without JavaScript', async () => {
    const openConfirmation = async (page: Page) => {
      await page.goto(`${api.url}/taken`);
      const link = page.locator(`a[href="/taken/clienten/${later}/listed"]`);
      await expect(link.textContent()).resolves.toMatch(/^Cliënten informeren\s*: 3 cliënten van /);
      await submit(page, link);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Cliënten informeren voor 3 cliënten?');
    };
    const confirmButton = (page: Page) => page.getByRole('button', { name: 'Ja, vastleggen voor 3 cliënten' });

    const withScript = await signedIn('maas');
    await openConfirmation(withScript.page);
    await expectAccessible(withScript.page, 'clienten-bevestigen');
    // A day still to come: refused next to the field, in Dutch; nothing recorded.
    const events = await transferEvents(later);
    await withScript.page.getByLabel('Datum waarop u de cliënten informeerde').fill(addDays(today, 3));
    await withScript.page.getByLabel('Hoe informeerde u de cliënten?').selectOption('letter');
    const refused = withScript.page.waitForResponse((response) => response.request().method() === 'POST');
    await submit(withScript.page, confirmButton(withScript.page));
    expect((await refused).status()).toBe(400);
    await expect(withScript.page.locator('.utrecht-form-field-error-message').textContent()).resolves.toContain('vandaag of eerder');
    await expect(withScript.page.getByLabel('Datum waarop u de cliënten informeerde').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await transferEvents(later)).toBe(events);
    expect(await steps(later)).toEqual(['listed', 'listed', 'listed']);
    await expectAccessible(withScript.page, 'clienten-bevestigen-geweigerd');
    await withScript.context.close();

    // The same without JavaScript (axe needs it, so it looks at the pages above).
    const { context, page } = await signedIn('maas', { javaScript: false });
    await openConfirmation(page);
    await page.getByLabel('Datum waarop u de cliënten informeerde').fill(today);
    await page.getByLabel('Hoe informeerde u de cliënten?').selectOption('letter');
    await submit(page, confirmButton(page));
    expect(new URL(page.url()).pathname).toBe('/taken');
    await screenshot(page, 'taken-na-bulk');
    await expect(page.locator('.site-flash').textContent()).resolves.toContain('3 cliënten bijgewerkt.');
    // The JSON API shows them moved on; the inbox offers the next step.
    expect(await steps(later)).toEqual(['informed', 'informed', 'informed']);
    await expect(page.locator(`a[href="/taken/clienten/${later}/informed"]`).textContent()).resolves.toMatch(/^Toestemming vastleggen\s*: 3 cliënten/);
    await context.close();

    // The next step's page, with its yes / no question (not sent).
    const consent = await signedIn('maas');
    await consent.page.goto(`${api.url}/taken/clienten/${later}/informed`);
    await expect(consent.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Toestemming vastleggen voor 3 cliënten?');
    await expect(consent.page.getByRole('radio', { name: 'Ja, ze gaven toestemming' }).count()).resolves.toBe(1);
    await expectAccessible(consent.page, 'clienten-toestemming-bevestigen');
    await consent.context.close();
  });

  it("refuses a bulk action on another organisation's handover, or on the other side's step, with the 403 page: nothing written", async () => {
    const events = await transferEvents(later);
    for (const [who, step] of [['sterk', 'informed'], ['kracht', 'informed']] as const) {
      const { context, page } = await signedIn(who);
      const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
      const confirm = await page.goto(`${api.url}/taken/clienten/${later}/${step}`);
      expect(confirm?.status()).toBe(403);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Geen toegang');
      if (who === 'sterk') await expectAccessible(page, 'clienten-geen-toegang');
      const posted = await page.request.post(`${api.url}/taken/clienten/${later}/${step}`, {
        form: { _csrf: csrf, given: 'ja', date: today },
        maxRedirects: 0,
      });
      expect(posted.status()).toBe(403);
      expect(await posted.text()).toContain('Geen toegang');
      await context.close();
    }
    expect(await transferEvents(later)).toBe(events);
    expect(await steps(later)).toEqual(['informed', 'informed', 'informed']);
  });
});
