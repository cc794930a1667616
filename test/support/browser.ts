import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/demo/users';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots the browser suite takes, to look at (git-ignored). */
export const SCREENSHOTS =
  process.env.SCREENSHOT_DIR ?? join(process.cwd(), '.data', 'console-screenshots');

export function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    // The closed network refuses Chromium's own background connections; keep it from trying.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ConsolePage {
  page: Page;
  /** Script errors, failed requests with a 5xx, console errors: must stay empty. */
  faults: string[];
}

/** A page the size of an office laptop screen, in Chinese, recording every fault it meets. */
export async function openPage(browser: Browser, base: string): Promise<ConsolePage> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    acceptDownloads: true,
    baseURL: base,
  });
  const page = await context.newPage();
  const faults: string[] = [];
  page.on('pageerror', (e) => faults.push(`script error: ${e.message}`));
  page.on('console', (m) => {
    // 4xx answers are shown to the user by design; the browser logs them as failed loads.
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text()))
      faults.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500) faults.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return { page, faults };
}

export async function signIn(
  page: Page,
  username: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
}

/**
 * English shown to a user: runs of three or more Latin words in the page's visible text. Codes
 * (361130ZB00001, water_conservation), units (hm², mg/L), abbreviations (GEP, CSV) and formulas
 * (a * b + c) are not runs of words and pass.
 */
export const latinIn = (text: string): string[] =>
  [...text.matchAll(/[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){2,}/g)].map((m) => m[0]);

export async function latinPhrases(page: Page): Promise<string[]> {
  return latinIn(await page.locator('body').innerText());
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
