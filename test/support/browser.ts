import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';

/** Debian's Chromium, as `npm run tools:install` installs it (the package `chromium`). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the browser tests put their screenshots. */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-output', 'web');

/** WCAG 2.1 A and AA: what axe-core checks on every page. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Starts Chromium headless. A missing browser fails the test, loudly: the browser tests must
 * run wherever the suite runs, never be skipped.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install the Debian package chromium ` +
        '(npm run tools:install as root does it, or apt-get install -y chromium), or set CHROMIUM_PATH',
    );
  }
  // As root (CI containers) Chromium's sandbox cannot start.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

/** axe-core's WCAG 2.1 AA violations on the page as it is now, in brief (rule, impact, where). */
export async function accessibilityViolations(page: Page): Promise<Array<{ id: string; impact: string | null | undefined; targets: string[] }>> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}

/** A full-page PNG of the page, as `test-output/web/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Clicks a form's button and waits for the page the form leads to (after a redirect, too). */
export async function submit(page: Page, button: Locator): Promise<void> {
  await Promise.all([page.waitForEvent('load'), button.click()]);
}

/** A fresh browser context (no cookies, Dutch locale) signed in with `token` through the sign-in page of the service at `baseUrl`. */
export async function signInThroughPage(
  browser: Browser,
  baseUrl: string,
  token: string,
  { javaScript = true } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'nl-NL', javaScriptEnabled: javaScript });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/inloggen`);
  await page.getByLabel('Toegangscode').fill(token);
  await submit(page, page.getByRole('button', { name: 'Inloggen' }));
  return { context, page };
}
