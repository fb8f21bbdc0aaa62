import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ListeningApi, startListeningApi } from '../support/listening-api';
import { goLiveInDays } from '../support/plans';
import { accessibilityViolations, launchChromium, screenshot } from '../support/browser';

/** The handover page (`/overdrachten/:transitionId`) in a real browser: read by the coordinator, refused to a provider. */
describe('web handover page', () => {
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

  const signedIn = async (who: string): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ locale: 'nl-NL' });
    const page = await context.newPage();
    await page.goto(`${api.url}/inloggen`);
    await page.getByLabel('Toegangscode').fill(api.users[who].token);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForLoadState('load');
    return { context, page };
  };

  beforeAll(async () => {
    api = await startListeningApi(`web-handover-${process.pid}`, [
      ['coordinator', 'coordinator', 'rotterdam'],
      ['maas', 'provider', 'welzijn-maas'],
    ]);
    browser = await launchChromium();
    const plan = { municipality: 'rotterdam', district: 'feijenoord', outgoingProvider: 'welzijn-maas', incomingProvider: 'buurtkracht', goLiveDate: goLiveInDays(120) };
    expect((await call('coordinator', 'POST', '/transitions', plan)).status).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('lets the coordinator open Feijenoord from the overview and read its page', async () => {
    const { context, page } = await signedIn('coordinator');
    await page.getByRole('link', { name: /feijenoord/i }).click();
    await page.waitForLoadState('load');
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
    await page.keyboard.press('Enter');
    await page.waitForLoadState('load');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('De mijlpaal is afgetekend.');
    await context.close();
  });

  it('moves go-live after a confirm page, and shows a refusal in Dutch next to the date field', async () => {
    const { context, page } = await signedIn('coordinator');
    await page.goto(`${api.url}/overdrachten/${feijenoord}`);
    await page.getByLabel('Nieuwe startdatum').fill('2020-01-01');
    await page.getByLabel('Waarom verzet u de startdatum?').fill('De locatie is later klaar.');
    await page.getByRole('button', { name: 'Startdatum verzetten' }).click();
    await page.waitForLoadState('load');
    await expect(page.locator('#startdatum-fout').textContent()).resolves.toBe('De nieuwe startdatum moet na vandaag liggen.');
    await page.getByLabel('Nieuwe startdatum').fill(goLiveInDays(150));
    await page.getByRole('button', { name: 'Startdatum verzetten' }).click();
    await page.waitForLoadState('load');
    await screenshot(page, 'overdracht-bevestigen');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Ja, startdatum verzetten' }).click();
    await page.waitForLoadState('load');
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
});
