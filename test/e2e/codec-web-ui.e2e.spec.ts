import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { TEMPORAL_DATA_CONVERTER } from '../../src/temporal/temporal.tokens';
import { accessibilityViolations, launchChromium, screenshot, signInThroughPage } from '../support/browser';
import { eventually } from '../support/eventually';
import { ListeningApi, startListeningApi } from '../support/listening-api';
import { freePort } from '../support/service-process';

/**
 * The real Temporal Web UI (the dev server's) in a real browser, decoding through this service's
 * codec endpoint with an operator's web session ("include cross-origin credentials"): the operator
 * sees a workflow's input in plain text, a coordinator's session and no session see it encrypted,
 * and the decode is in the audit trail.
 */
describe('Temporal Web UI decoding with an operator web session (real UI, Chromium, PostgreSQL)', () => {
  let api: ListeningApi;
  let browser: Browser;
  let uiUrl: string;
  const marker = `Marker ${randomUUID()}`;
  const workflowId = `codec-ui-probe-${randomUUID()}`;

  beforeAll(async () => {
    const uiPort = await freePort();
    uiUrl = `http://127.0.0.1:${uiPort}`;
    process.env.TEMPORAL_UI_ORIGINS = uiUrl;
    try {
      api = await startListeningApi(
        `codec-ui-${process.pid}`,
        [
          ['operator', 'operator', 'rotterdam'],
          ['coordinator', 'coordinator', 'rotterdam'],
        ],
        { temporalUiPort: uiPort },
      );
    } finally {
      delete process.env.TEMPORAL_UI_ORIGINS;
    }
    browser = await launchChromium();
    // A workflow whose input the service's codec encrypted (no worker polls its queue: it only waits).
    const client = new Client({ connection: api.env.connection, dataConverter: api.app.get(TEMPORAL_DATA_CONVERTER) });
    await client.workflow.start('codecUiProbe', { taskQueue: `codec-ui-probe-${process.pid}`, workflowId, args: [{ note: marker }] });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  const signedIn = (who: string) => signInThroughPage(browser, api.url, api.users[who].token);

  /** Opens the probe workflow in the UI with the codec set as an operator sets it in the UI's codec settings. */
  const openInTheUi = async (page: Page) => {
    const decodeAnswers: number[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(`${api.url}/codec/decode`) && response.request().method() === 'POST') decodeAnswers.push(response.status());
    });
    await page.goto(`${uiUrl}/namespaces/default/workflows`);
    await page.evaluate((endpoint) => {
      // The browser's, in the page (this file is compiled without the DOM's types).
      const { localStorage } = globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } };
      localStorage.setItem('endpoint', JSON.stringify(endpoint));
      localStorage.setItem('includeCredentials', 'true');
      localStorage.setItem('passAccessToken', 'false');
      localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
    }, `${api.url}/codec`);
    await page.goto(`${uiUrl}/namespaces/default/workflows/${workflowId}`);
    return decodeAnswers;
  };

  const decodeRecords = async (): Promise<Array<{ data: { payloads: number }; metadata: { actor: { user: string; role: string } } }>> =>
    api.db.admin.query(`SELECT data, metadata FROM events WHERE type = 'PayloadsDecoded' ORDER BY global_position`);

  it("shows an operator the workflow's input decoded, and records the decode", async () => {
    const { context, page } = await signedIn('operator');
    expect(new URL(page.url()).pathname).toBe('/beheer');
    await expect(page.getByText(`${api.url}/codec`).count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: uiUrl }).count()).resolves.toBe(1);
    await screenshot(page, 'beheer');
    expect(await accessibilityViolations(page)).toEqual([]);

    const decodeAnswers = await openInTheUi(page);
    await eventually(async () => expect(await page.content()).toContain(marker), 30_000);
    expect(decodeAnswers.length).toBeGreaterThan(0);
    expect(decodeAnswers.every((status) => status === 200)).toBe(true);
    await screenshot(page, 'temporal-ui-ontsleuteld');

    const records = await decodeRecords();
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((record) => record.metadata.actor.role === 'operator' && record.metadata.actor.user === api.users.operator.user.username)).toBe(true);
    expect(JSON.stringify(records)).not.toContain(marker);
    await context.close();
  });

  it("keeps the input encrypted for a coordinator's session (403) and without a session (401)", async () => {
    const before = (await decodeRecords()).length;
    for (const [who, status] of [['coordinator', 403], [undefined, 401]] as const) {
      const { context, page } = who ? await signedIn(who) : await browser.newContext().then(async (context) => ({ context, page: await context.newPage() }));
      const decodeAnswers = await openInTheUi(page);
      await eventually(async () => expect(decodeAnswers).toContain(status), 30_000);
      expect(decodeAnswers.every((answer) => answer === status)).toBe(true);
      expect(await page.content()).not.toContain(marker);
      await context.close();
    }
    expect(await decodeRecords()).toHaveLength(before);
  });

  it('takes the session on the codec route only: another API route still wants the bearer token', async () => {
    const { context, page } = await signedIn('operator');
    const cookie = (await context.cookies()).find((c) => c.name === 'overdracht_sessie')!;
    const withCookie = (path: string, init: RequestInit = {}) =>
      fetch(`${api.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie: `${cookie.name}=${cookie.value}` } });
    expect((await withCookie('/transitions')).status).toBe(401);
    const decoded = await withCookie('/codec/decode', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payloads":[]}' });
    expect(decoded.status).toBe(200);
    // With an Authorization header the header counts, not the session.
    const wrongBearer = await withCookie('/codec/decode', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.users.coordinator.token}` },
      body: '{"payloads":[]}',
    });
    expect(wrongBearer.status).toBe(403);
    // A form of another site cannot post there: no JSON, no decode.
    const form = await withCookie('/codec/decode', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"payloads":[]}' });
    expect(form.status).toBe(415);
    await page.close();
    await context.close();
  });
});
