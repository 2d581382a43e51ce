// Browser journeys against the real, built server: two people in two browser contexts become
// friends and talk, with live updates over the WebSocket; and logging out and in again.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRequired } from '../server/test/postgres.js';
import { CHROMIUM_PATH, hasChromium, launchBrowser } from './support/browser.js';
import { RESULTS_DIR, withDiagnostics } from './support/diagnostics.js';
import { logIn, newPerson, openPage, signUp, STEP_MS, type Person } from './support/people.js';
import { buildApp, startServer, type RunningServer } from './support/server.js';

const isBrowserRequired = isRequired('BROWSER');
if (!hasChromium() && !isBrowserRequired) {
  console.warn(`[parley] Chromium not found at ${CHROMIUM_PATH}: browser journeys skipped (CI installs it)`);
}
const suite = hasChromium() || isBrowserRequired ? describe : describe.skip;

suite('browser journeys', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const opened: Page[] = [];

  beforeAll(async () => {
    if (!hasChromium()) {
      throw new Error(
        `Chromium is required here (CI=true or PARLEY_REQUIRE_BROWSER=1) but ${CHROMIUM_PATH} does not exist: ` +
          'install it with `apt-get install -y chromium`.',
      );
    }
    await buildApp();
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const page of opened)
      await page
        .context()
        .close()
        .catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  async function personPage(): Promise<Page> {
    const page = await openPage(browser!);
    opened.push(page);
    return page;
  }

  /** A message bubble by its (unique) text. */
  const message = (page: Page, text: string) => page.getByTestId('message').filter({ hasText: text });

  async function send(page: Page, text: string): Promise<void> {
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill(text);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await message(page, text).waitFor({ timeout: STEP_MS });
  }

  /** Marks the document; if the page reloads or navigates away for real, the mark is gone. */
  async function markDocument(page: Page): Promise<void> {
    await page.evaluate(() => {
      (globalThis as Record<string, unknown>).__parleySameDocument = true;
    });
  }
  const isSameDocument = (page: Page) =>
    page.evaluate(() => (globalThis as Record<string, unknown>).__parleySameDocument === true);

  it('two people become friends and talk live: send, receive, reply, share a card, delete', async () => {
    const { url } = server!;
    const dana = newPerson('Dana', 'Reyes');
    const eli = newPerson('Eli', 'Okafor');
    const run = dana.username.slice(-8);
    const texts = {
      first: `Hi Eli, it is Dana (${run})`,
      second: `Are you around tonight? (${run})`,
      reply: `Yes! Dinner at eight? (${run})`,
    };
    const card = { title: `Parley on the web (${run})`, url: `https://example.com/parley/${run}` };

    const danaPage = await personPage();
    const eliPage = await personPage();

    await withDiagnostics(
      'messaging',
      { dana: danaPage, eli: eliPage },
      () => server!.output(),
      async () => {
        await signUp(danaPage, url, dana);
        await signUp(eliPage, url, eli);

        // Eli waits on Friends; Dana's request reaches him there.
        await eliPage.getByRole('link', { name: 'Friends', exact: true }).click();
        await eliPage.getByRole('heading', { name: 'Requests for you' }).waitFor();

        await danaPage.getByRole('link', { name: 'Friends', exact: true }).click();
        await danaPage.getByLabel("Friend's username", { exact: true }).fill(eli.username);
        await danaPage.getByRole('button', { name: 'Send request', exact: true }).click();
        await danaPage.getByTestId(`request-${eli.username}`).waitFor();

        const request = eliPage.getByTestId(`request-${dana.username}`);
        await request.waitFor();
        expect(await request.textContent()).toContain(dana.displayName);
        await request.getByRole('button', { name: 'Accept', exact: true }).click();
        await eliPage.getByTestId(`friend-${dana.username}`).waitFor();

        // Dana's list updates live (friends.changed) and she starts the conversation.
        const friendRow = danaPage.getByTestId(`friend-${eli.username}`);
        await friendRow.waitFor();
        expect(await danaPage.getByTestId(`request-${eli.username}`).count()).toBe(0);
        await friendRow.getByRole('button', { name: 'Message', exact: true }).click();
        await danaPage.getByRole('heading', { level: 2, name: eli.displayName, exact: true }).waitFor();
        expect(danaPage.url()).toMatch(/\/t\/[^/]+$/);
        await send(danaPage, texts.first);

        // Eli finds it in his conversation list.
        await eliPage.getByRole('link', { name: 'Messages', exact: true }).click();
        const conversations = eliPage.getByRole('list', { name: 'Conversations' });
        const entry = conversations.getByRole('link').filter({ hasText: dana.displayName });
        await entry.waitFor();
        await entry.click();
        await eliPage.getByRole('heading', { level: 2, name: dana.displayName, exact: true }).waitFor();
        await message(eliPage, texts.first).waitFor();
        expect(await message(eliPage, texts.first).textContent()).toContain(dana.displayName);

        // From here on, everything Eli sees arrives over the WebSocket: no reloads.
        await markDocument(eliPage);
        await markDocument(danaPage);

        await send(danaPage, texts.second);
        await message(eliPage, texts.second).waitFor();

        await send(eliPage, texts.reply);
        await message(danaPage, texts.reply).waitFor();

        // A link card from the composer's "Attach Card" fields.
        await danaPage.getByRole('button', { name: 'Attach Card' }).click();
        await danaPage.getByLabel('Card kind', { exact: true }).selectOption('link');
        await danaPage.getByLabel('Card title', { exact: true }).fill(card.title);
        await danaPage.getByLabel('Card URL', { exact: true }).fill(card.url);
        await danaPage.getByRole('button', { name: 'Send', exact: true }).click();
        const eliCardLink = eliPage
          .getByTestId('message')
          .getByRole('link', { name: card.title, exact: true });
        await eliCardLink.waitFor();
        expect(await eliCardLink.getAttribute('href')).toBe(card.url);
        await danaPage.getByTestId('message').getByRole('link', { name: card.title, exact: true }).waitFor();

        // Dana deletes her first message (confirm dialog accepted); it vanishes for Eli too.
        await message(danaPage, texts.first).getByRole('button', { name: 'Delete message' }).click();
        await message(danaPage, texts.first).waitFor({ state: 'detached' });
        await message(eliPage, texts.first).waitFor({ state: 'detached' });

        expect(await isSameDocument(eliPage)).toBe(true);
        expect(await isSameDocument(danaPage)).toBe(true);

        const eliView = await eliPage.getByTestId('message').allInnerTexts();
        expect(eliView).toHaveLength(3);
        expect(eliView[0]).toContain(texts.second);
        expect(eliView[1]).toContain(texts.reply);
        expect(eliView[2]).toContain(card.title);
        expect(eliView.join('\n')).not.toContain(texts.first);

        await mkdir(RESULTS_DIR, { recursive: true });
        await eliPage.screenshot({ path: path.join(RESULTS_DIR, 'e2e-conversation.png') });
      },
    );
  });

  it('a person can log out and log back in; a wrong password says so', async () => {
    const { url } = server!;
    const fay: Person = newPerson('Fay', 'Lindqvist');
    const page = await personPage();

    await withDiagnostics(
      'login',
      { fay: page },
      () => server!.output(),
      async () => {
        await signUp(page, url, fay);
        await page.getByRole('button', { name: 'Log out', exact: true }).click();
        await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
        expect(new URL(page.url()).pathname).toBe('/login');

        // The session is really gone: a fresh load still lands on the login page.
        await page.goto(`${url}/friends`);
        await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
        expect(new URL(page.url()).pathname).toBe('/login');

        await logIn(page, { username: fay.username, password: `${fay.password}-wrong` });
        const alert = page.getByRole('alert');
        await alert.waitFor();
        expect(await alert.textContent()).toMatch(/password/i);
        expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(0);

        await logIn(page, fay);
        await page.getByRole('button', { name: 'Log out', exact: true }).waitFor();
        expect(await page.getByText(fay.displayName, { exact: true }).first().textContent()).toBe(
          fay.displayName,
        );
        // Logging in returns to the page the person was sent away from.
        expect(new URL(page.url()).pathname).toBe('/friends');
      },
    );
  });
});
