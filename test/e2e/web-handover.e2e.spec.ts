import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { TARGET_GROUPS } from '../../src/clients/client.events';
import { TRANSFER_STEPS } from '../../src/clients/reads/client-transfer.response';
import { amsterdamToday } from '../../src/time/amsterdam';
import { TARGET_GROUP_LABELS } from '../../src/web/pages/handover/client-funnel';
import { handoverAtTheGate } from '../support/at-the-gate';
import { clientList } from '../support/client-lists';
import { eventually } from '../support/eventually';
import { ListeningApi, startListeningApi } from '../support/listening-api';
import { goLiveInDays } from '../support/plans';
import { accessibilityViolations, launchChromium, screenshot, signInThroughPage } from '../support/browser';

/**
 * The handover page (`/overdrachten/:transitionId`) in a real browser: read by the coordinator
 * and the auditor, refused to a provider; the coordinator's actions through confirm pages.
 */
describe('web handover page', () => {
  let api: ListeningApi;
  let browser: Browser;
  const feijenoord = `rotterdam.feijenoord.${goLiveInDays(120)}`;
  const charlois = `rotterdam.charlois.${goLiveInDays(100)}`;
  let ijsselmonde: string;

  const call = async (who: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${api.users[who].token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
  };

  const signedIn = (who: string) => signInThroughPage(browser, api.url, api.users[who].token);

  beforeAll(async () => {
    api = await startListeningApi(`web-handover-${process.pid}`, [
      ['coordinator', 'coordinator', 'rotterdam'],
      ['maas', 'provider', 'welzijn-maas'],
      ['auditor', 'auditor', 'rotterdam'],
      ['enschede', 'coordinator', 'enschede'],
    ]);
    browser = await launchChromium();
    const plan = { municipality: 'rotterdam', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht' };
    expect((await call('coordinator', 'POST', '/transitions', { ...plan, district: 'feijenoord', goLiveDate: goLiveInDays(120) })).status).toBe(201);
    expect((await call('coordinator', 'POST', '/transitions', { ...plan, district: 'charlois', goLiveDate: goLiveInDays(100) })).status).toBe(201);
    ijsselmonde = await handoverAtTheGate(api, 'ijsselmonde', goLiveInDays(-1));
  });

  const eventsOf = (transitionId: string) =>
    api.db.app.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [transitionId]).then(([row]) => row.n as number);

  const importClients = async (transitionId: string, count: number) => {
    const response = await fetch(`${api.url}/transitions/${transitionId}/clients/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.users.maas.token}`, 'content-type': 'text/csv' },
      body: clientList(count),
    });
    expect(response.status).toBe(202);
    const { importId } = (await response.json()) as { importId: string };
    await eventually(async () => {
      const progress = await call('maas', 'GET', `/transitions/${transitionId}/clients/imports/${importId}`);
      expect(progress.body).toMatchObject({ state: 'finished', listed: count });
    }, 60_000);
  };

  /** Does what submits a form (or follows a link) and waits for the page it leads to, however quick or slow the server. */
  const andLoad = async (page: Page, action: () => Promise<unknown>) => {
    await Promise.all([page.waitForEvent('load'), action()]);
  };

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('lets the coordinator open Feijenoord from the overview and read its page', async () => {
    const { context, page } = await signedIn('coordinator');
    await andLoad(page, () => page.getByRole('link', { name: /feijenoord/i }).click());
    expect(new URL(page.url()).pathname).toBe(`/overdrachten/${feijenoord}`);
    await expect(page.getByRole('heading', { name: 'Mijlpalen' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: 'Verwachting' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'overdracht');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('signs off a milestone with the keyboard only', async () => {
    const { context, page } = await signedIn('coordinator');
    await page.goto(`${api.url}/overdrachten/${feijenoord}`);
    const button = page.getByRole('button', { name: /Aftekenen/ }).first();
    await button.focus();
    await andLoad(page, () => page.keyboard.press('Enter'));
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('De mijlpaal is afgetekend.');
    await context.close();
  });

  it('moves go-live after a confirm page, and shows a refusal in Dutch next to the date field', async () => {
    const { context, page } = await signedIn('coordinator');
    await page.goto(`${api.url}/overdrachten/${feijenoord}`);
    await page.getByLabel('Nieuwe startdatum').fill('2020-01-01');
    await page.getByLabel('Waarom verzet u de startdatum?').fill('De locatie is later klaar.');
    await andLoad(page, () => page.getByRole('button', { name: 'Startdatum verzetten' }).click());
    await expect(page.locator('#startdatum-fout').textContent()).resolves.toBe('De nieuwe startdatum moet na vandaag liggen.');
    await page.getByLabel('Nieuwe startdatum').fill(goLiveInDays(150));
    await andLoad(page, () => page.getByRole('button', { name: 'Startdatum verzetten' }).click());
    await screenshot(page, 'overdracht-bevestigen');
    expect(await accessibilityViolations(page)).toEqual([]);
    await andLoad(page, () => page.getByRole('button', { name: 'Ja, startdatum verzetten' }).click());
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('De startdatum is verzet naar');
    await context.close();
  });

  it('shows the 404 page for an unknown handover', async () => {
    const { context, page } = await signedIn('coordinator');
    const response = await page.goto(`${api.url}/overdrachten/rotterdam.nergens.2030-01-01`);
    expect(response?.status()).toBe(404);
    await context.close();
  });

  it('refuses a provider with the 403 page', async () => {
    const { context, page } = await signedIn('maas');
    const response = await page.goto(`${api.url}/overdrachten/${feijenoord}`);
    expect(response?.status()).toBe(403);
    await context.close();
  });

  it('shows the client transfers by target group and step, counts only, as the API counts them', async () => {
    await importClients(feijenoord, 6);
    const clients = await call('maas', 'GET', `/transitions/${feijenoord}/clients?limit=10`);
    for (const { pseudonym } of clients.body.items.slice(0, 2)) {
      expect((await call('maas', 'POST', `/clients/${pseudonym}/informed`, { date: amsterdamToday(), channel: 'letter' })).status).toBe(200);
    }
    const counts = (await call('coordinator', 'GET', `/transitions/${feijenoord}/clients/counts`)).body;
    expect(counts).toMatchObject({ total: 6, byStep: { listed: 4, informed: 2 } });

    const { context, page } = await signedIn('coordinator');
    await page.goto(`${api.url}/overdrachten/${feijenoord}`);
    const rows: string[][] = [];
    for (const row of await page.locator('#clienten-trechter tbody tr').all()) {
      rows.push((await row.locator('th, td').allTextContents()).map((cell) => cell.trim()));
    }
    expect(rows).toEqual([
      ...TARGET_GROUPS.map((group) => [
        TARGET_GROUP_LABELS[group],
        ...TRANSFER_STEPS.map((step) => String(counts.byStepAndTargetGroup[step][group])),
        String(counts.byTargetGroup[group]),
      ]),
      ['Totaal', ...TRANSFER_STEPS.map((step) => String(counts.byStep[step])), '6'],
    ]);
    const text = await page.locator('main').textContent();
    expect(text).not.toContain('Jansen');
    expect(text).toContain('Overdracht gepland');
    expect(text).toContain('Startdatum verzet');
    expect(text).toContain('Van Welzijn aan de Maas');
    await screenshot(page, 'overdracht-clienten');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows the audit status and downloads the audit trail as CSV for Excel and as JSON with the session', async () => {
    const { context, page } = await signedIn('coordinator');
    await page.goto(`${api.url}/overdrachten/${feijenoord}`);
    await expect(page.locator('#audit-status').textContent()).resolves.toMatch(/^Audittrail gecontroleerd: intact\./);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /CSV/ }).click()]);
    expect(download.suggestedFilename()).toBe(`audit-${feijenoord}.csv`);
    const csv = await readFile((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toMatch(/^global_position;stream_version;recorded_at;type;/);
    expect(lines).toContain('verification;intact');

    const json = await context.request.get(`${api.url}/overdrachten/${feijenoord}/audittrail.json`);
    expect(json.status()).toBe(200);
    expect(json.headers()['x-audit-chain']).toBe('intact');
    expect(json.headers()['content-disposition']).toContain(`audit-${feijenoord}.json`);
    const exported = await json.json();
    expect(exported).toMatchObject({ streamId: feijenoord, verification: { intact: true } });
    expect(exported.events).toHaveLength(await eventsOf(feijenoord));
    expect((await context.request.get(`${api.url}/overdrachten/rotterdam.nergens.2030-01-01/audittrail.csv`)).status()).toBe(404);
    await context.close();

    for (const who of ['maas', 'enschede']) {
      const other = await signedIn(who);
      for (const kind of ['csv', 'json']) {
        expect((await other.context.request.get(`${api.url}/overdrachten/${feijenoord}/audittrail.${kind}`)).status()).toBe(403);
      }
      await other.context.close();
    }
  });

  it('shows the auditor the page and its downloads, without any form to act', async () => {
    const { context, page } = await signedIn('auditor');
    await page.goto(`${api.url}/overdrachten/${feijenoord}`);
    await expect(page.getByRole('heading', { name: 'Audittrail' }).isVisible()).resolves.toBe(true);
    expect(await page.locator('main form').count()).toBe(0);
    expect((await context.request.get(`${api.url}/overdrachten/${feijenoord}/audittrail.csv`)).status()).toBe(200);
    await screenshot(page, 'overdracht-auditor');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('reopens a done task through a confirm page; a reason too short (400) and a task reopened meanwhile (409) are refused next to the field, with nothing written', async () => {
    expect((await call('coordinator', 'POST', `/transitions/${feijenoord}/tasks/kick-off/complete`, {})).status).toBe(200);
    const { context, page } = await signedIn('coordinator');
    await page.goto(`${api.url}/overdrachten/${feijenoord}`);
    const before = await eventsOf(feijenoord);
    const reason = () => page.getByLabel('Reden om deze taak opnieuw te openen');
    await reason().fill('x');
    const [refused] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      andLoad(page, () => page.getByRole('button', { name: /Opnieuw openen/ }).click()),
    ]);
    expect(refused.status()).toBe(400);
    const fieldId = await reason().getAttribute('id');
    await expect(page.locator(`#${fieldId}-fout`).textContent()).resolves.toContain('Schrijf op waarom');
    await expect(reason().getAttribute('aria-invalid')).resolves.toBe('true');
    await screenshot(page, 'overdracht-weigering');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await eventsOf(feijenoord)).toBe(before);

    await reason().fill('Het verslag ontbreekt nog.');
    await andLoad(page, () => page.getByRole('button', { name: /Opnieuw openen/ }).click());
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Taak opnieuw openen?');
    expect(await eventsOf(feijenoord)).toBe(before);
    await screenshot(page, 'overdracht-heropenen-bevestigen');
    expect(await accessibilityViolations(page)).toEqual([]);
    await andLoad(page, () => page.getByRole('button', { name: 'Ja, taak opnieuw openen' }).click());
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('De taak staat weer open.');
    const detail = (await call('coordinator', 'GET', `/transitions/${feijenoord}`)).body;
    expect(detail.tasks.find((task: { id: string }) => task.id === 'kick-off')).toMatchObject({ status: 'open' });

    // Reopened through the API while the confirm page was open: refused (409) next to the task, nothing written.
    expect((await call('coordinator', 'POST', `/transitions/${feijenoord}/tasks/kick-off/complete`, {})).status).toBe(200);
    await page.goto(`${api.url}/overdrachten/${feijenoord}`);
    await reason().fill('Het verslag ontbreekt nog.');
    await andLoad(page, () => page.getByRole('button', { name: /Opnieuw openen/ }).click());
    expect((await call('coordinator', 'POST', `/transitions/${feijenoord}/tasks/kick-off/reopen`, { reason: 'Al heropend' })).status).toBe(200);
    const stale = await eventsOf(feijenoord);
    const [conflict] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      andLoad(page, () => page.getByRole('button', { name: 'Ja, taak opnieuw openen' }).click()),
    ]);
    expect(conflict.status()).toBe(409);
    await expect(page.locator('.utrecht-form-field-error-message').allTextContents()).resolves.toEqual([
      'Deze taak is niet afgerond. Alleen een afgeronde taak kan opnieuw open.',
    ]);
    expect(await eventsOf(feijenoord)).toBe(stale);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('pages the timeline back with the cursor of its read, and refuses a cursor that is not one', async () => {
    const { context, page } = await signedIn('auditor');
    const newest = await call('auditor', 'GET', `/transitions/${feijenoord}/timeline?limit=2`);
    await page.goto(`${api.url}/overdrachten/${feijenoord}?ouder=${newest.body.nextCursor}`);
    const lines = await page.locator('#tijdlijn-kop + ol > li').count();
    expect(lines).toBe(Math.min(20, (await eventsOf(feijenoord)) - 2));
    expect((await page.goto(`${api.url}/overdrachten/${feijenoord}?ouder=rubbish`))?.status()).toBe(400);
    await context.close();
  });

  it('goes live anyway at the gate after a confirm page, offered only where the handover waits there', async () => {
    const { context, page } = await signedIn('coordinator');
    await page.goto(`${api.url}/overdrachten/${feijenoord}`);
    expect(await page.getByRole('button', { name: 'Toch live gaan' }).count()).toBe(0);
    await page.goto(`${api.url}/overdrachten/${ijsselmonde}`);
    await expect(page.getByRole('heading', { name: /Besluit nodig/ }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'overdracht-besluit');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Waarom gaat de overdracht toch live?').fill('De cliënten zijn veilig; de dossiers volgen volgende week.');
    await andLoad(page, () => page.getByRole('button', { name: 'Toch live gaan' }).click());
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Toch live gaan?');
    await screenshot(page, 'overdracht-besluit-bevestigen');
    expect(await accessibilityViolations(page)).toEqual([]);
    await andLoad(page, () => page.getByRole('button', { name: 'Ja, toch live gaan' }).click());
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('De overdracht is gestart.');
    expect((await call('coordinator', 'GET', `/transitions/${ijsselmonde}`)).body).toMatchObject({ state: 'live', decision: { decision: 'go' } });
    expect(await page.getByRole('button', { name: 'Toch live gaan' }).count()).toBe(0);
    await context.close();
  });

  it('cancels a handover after a confirm page that warns it cannot be undone', async () => {
    const { context, page } = await signedIn('coordinator');
    await page.goto(`${api.url}/overdrachten/${charlois}`);
    const before = await eventsOf(charlois);
    await andLoad(page, () => page.getByRole('button', { name: 'Overdracht annuleren' }).click());
    await expect(page.locator('#annuleren-reden-fout').textContent()).resolves.toContain('Schrijf op waarom');
    expect(await eventsOf(charlois)).toBe(before);
    await page.getByLabel('Waarom annuleert u de overdracht?').fill('De aanbesteding is ingetrokken.');
    await andLoad(page, () => page.getByRole('button', { name: 'Overdracht annuleren' }).click());
    await expect(page.getByRole('note').textContent()).resolves.toContain('niet ongedaan maken');
    await screenshot(page, 'overdracht-annuleren-bevestigen');
    expect(await accessibilityViolations(page)).toEqual([]);
    await andLoad(page, () => page.getByRole('button', { name: 'Ja, overdracht annuleren' }).click());
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('De overdracht is geannuleerd.');
    expect((await call('coordinator', 'GET', `/transitions/${charlois}`)).body).toMatchObject({ state: 'cancelled' });
    expect(await page.getByRole('button', { name: 'Overdracht annuleren' }).count()).toBe(0);
    await screenshot(page, 'overdracht-geannuleerd');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
