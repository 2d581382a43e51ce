// People in the journeys: unique per run, signed up through the real sign-up form.
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';

/** The longest any single step may wait. */
export const STEP_MS = 10_000;

export interface Person {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
}

export function newPerson(first: string, last: string): Person {
  const suffix = randomBytes(4).toString('hex');
  return {
    username: `${first.toLowerCase()}_${suffix}`,
    displayName: `${first} ${last}`,
    password: `pw-${randomBytes(8).toString('hex')}`,
  };
}

/** A fresh browser context (its own cookies) with one page; confirm dialogs are accepted. */
export async function openPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.setDefaultNavigationTimeout(STEP_MS);
  page.on('dialog', (dialog) => void dialog.accept());
  const log: string[] = [];
  consoleLogs.set(page, log);
  const note = (line: string) => log.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') note(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (error) => note(`uncaught: ${error.stack ?? error.message}`));
  page.on('requestfailed', (r) =>
    note(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText ?? '?'})`),
  );
  page.on('response', (r) => {
    if (r.status() >= 400) note(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return page;
}

const consoleLogs = new WeakMap<Page, string[]>();

/** Browser-side errors, failed requests and 4xx/5xx answers this page saw (for failure reports). */
export function browserLog(page: Page): string[] {
  return consoleLogs.get(page) ?? [];
}

export async function signUp(page: Page, baseUrl: string, person: Person): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Username', { exact: true }).fill(person.username);
  await page.getByLabel('Display name', { exact: true }).fill(person.displayName);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByRole('button', { name: 'Log out', exact: true }).waitFor({ timeout: STEP_MS });
}

export async function logIn(page: Page, person: Pick<Person, 'username' | 'password'>): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill(person.username);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}
