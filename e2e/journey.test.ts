// The whole story, as a newcomer walks it after `npm start`, in Chromium: the demo (Parley,
// Tunes and Flicks as their own servers, started by the same launcher as `npm start`). Alice
// connects Tunes on Parley's consent page and sends a song to bob, who already uses Tunes; bob
// sees it "via Tunes" in Parley and replies; the reply appears in Tunes beside the player; bob's
// access log says Tunes received his reply and Verify checks it; alice revokes Tunes in Parley
// and the open Tunes page asks her to connect again.
//
// With PARLEY_SCREENSHOTS=1 (`npm run screenshots`) it also writes the README's screenshots.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isRequired } from '../server/test/postgres.js';
import { CHROMIUM_PATH, hasChromium, launchBrowser } from './support/browser.js';
import { startDemo, type RunningDemo } from './support/demo.js';
import { withDiagnostics } from './support/diagnostics.js';
import { openPage } from './support/people.js';
import { buildApp, REPO_ROOT } from './support/server.js';

const isBrowserRequired = isRequired('BROWSER');
if (!hasChromium() && !isBrowserRequired) {
  console.warn(
    `[parley] Chromium not found at ${CHROMIUM_PATH}: the demo journey is skipped (CI installs it)`,
  );
}
const journey = hasChromium() || isBrowserRequired ? it : it.skip;

const PASSWORD = 'parley-demo';
const SONG = 'Harbour Lights';
const SCREENSHOTS =
  process.env.PARLEY_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'docs', 'screenshots') : null;

let browser: Browser | undefined;
let demo: RunningDemo | undefined;
const opened: Page[] = [];

beforeAll(async () => {
  if (!hasChromium()) {
    throw new Error(
      `Chromium is required here (CI=true or PARLEY_REQUIRE_BROWSER=1) but ${CHROMIUM_PATH} does not exist.`,
    );
  }
  await buildApp();
  demo = await startDemo();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const page of opened)
    await page
      .context()
      .close()
      .catch(() => undefined);
  await browser?.close();
  await demo?.stop();
});

async function newPage(): Promise<Page> {
  const page = await openPage(browser!);
  opened.push(page);
  return page;
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Logs in on Parley's own login page, as a person would. */
async function logInToParley(page: Page, username: string): Promise<void> {
  await page.goto(demo!.parleyUrl);
  await page.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByRole('list', { name: 'Conversations', exact: true }).waitFor();
}

const readable = (text: string) => text.replace(/\s+/g, ' ').trim();

journey('alice connects Tunes, shares a song with bob, sees his reply live, and revokes Tunes', async () => {
  const { parleyUrl, tunesUrl } = demo!;
  const alice = await newPage();
  const bob = await newPage();
  const startedAt = Date.now();

  await withDiagnostics(
    'demo-journey',
    { alice, bob },
    () => demo!.output(),
    async () => {
      // Alice opens Tunes and connects it: Parley asks her to log in, then what to allow.
      await alice.goto(tunesUrl);
      await alice.getByRole('link', { name: 'Connect with Parley' }).first().click();
      await alice.waitForURL((url) => url.pathname.startsWith('/consent/'));
      await alice.getByRole('textbox', { name: 'Username', exact: true }).fill('alice');
      await alice.getByRole('textbox', { name: 'Password', exact: true }).fill(PASSWORD);
      await alice.getByRole('button', { name: 'Log in', exact: true }).click();
      await alice.getByRole('heading', { level: 2, name: 'Tunes wants to:', exact: true }).waitFor();
      const consentText = readable(await alice.locator('main').innerText());
      expect(consentText).toContain('Cannot: Read any other conversation');
      await screenshot(alice, 'consent');
      await alice.getByRole('button', { name: 'Allow', exact: true }).click();
      await alice.waitForURL((url) => url.href.startsWith(tunesUrl));

      // Back in Tunes: bob uses Tunes too, so alice can send him the song directly.
      await alice.getByRole('button', { name: `Share ${SONG}`, exact: true }).click();
      const dialog = alice.getByRole('dialog');
      await dialog.getByRole('group', { name: 'Friends who use Tunes' }).waitFor();
      await dialog.getByLabel('Bob Okafor').check();
      await dialog.getByRole('button', { name: 'Share with selected friends', exact: true }).click();
      await alice.getByText(`Sent “${SONG}” to Bob Okafor.`).waitFor();
      const conversation = alice.getByRole('region', { name: 'Conversation' });
      await conversation.getByText(SONG).first().waitFor();

      // Bob, in Parley: the song is there, marked "via Tunes". He replies.
      await logInToParley(bob, 'bob');
      await bob
        .getByRole('list', { name: 'Conversations', exact: true })
        .getByRole('link')
        .filter({ hasText: 'Alice Martin' })
        .filter({ hasText: SONG })
        .click();
      const card = bob.getByTestId('message').filter({ hasText: SONG });
      await card.waitFor();
      expect(readable(await card.innerText())).toContain('via Tunes');
      await screenshot(bob, 'conversation-via-tunes');
      const reply = `Love it! Playing it now (${Date.now().toString(36)})`;
      await bob.getByRole('textbox', { name: 'Message', exact: true }).fill(reply);
      await bob.getByRole('button', { name: 'Send', exact: true }).click();

      // The reply appears in Tunes, beside the player, without a reload.
      await conversation.getByText(reply).waitFor({ timeout: 15_000 });

      // Bob's access log says Tunes received his reply; Verify checks it against the signed log.
      await bob.goto(`${parleyUrl}/access-log`);
      await bob.getByRole('heading', { name: 'Tunes' }).first().waitFor();
      await bob
        .getByText(/Received a new message .*as it happened/)
        .first()
        .waitFor();
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // one signer tick (500 ms)
      await bob.getByRole('button', { name: 'Verify', exact: true }).click();
      await bob.getByText(/^Verified \d+ (entry|entries) against checkpoint \d+, signed by /).waitFor();
      await screenshot(bob, 'access-log');

      // Alice revokes Tunes in Parley; the Tunes page she left open asks her to connect again.
      const aliceParley = await alice.context().newPage();
      aliceParley.on('dialog', (dialog) => void dialog.accept()); // "Revoke access for Tunes?"
      await aliceParley.goto(`${parleyUrl}/apps`);
      const connected = aliceParley.locator('[data-testid^="connected-app-"]').filter({ hasText: 'Tunes' });
      await connected.getByRole('button', { name: 'Revoke access', exact: true }).click();
      await connected.waitFor({ state: 'detached' });
      await alice.bringToFront();
      await alice.getByRole('heading', { name: 'Connect again' }).waitFor({ timeout: 15_000 });
      await alice.getByRole('link', { name: 'Connect with Parley' }).first().waitFor();
    },
  );
  console.log(`[parley] demo journey: ${((Date.now() - startedAt) / 1000).toFixed(1)} s in the browser`);
});

journey(
  'carol recommends a show with Flicks, which can send but never read, follows up, and unsends',
  async () => {
    const { parleyUrl, flicksUrl } = demo!;
    const carol = await newPage();
    const alice = await newPage();
    const show = 'Lighthouse Keepers';
    const followUp = `Episode 2 is the best (${Date.now().toString(36)})`;

    await withDiagnostics(
      'demo-flicks',
      { carol, alice },
      () => demo!.output(),
      async () => {
        // Carol connects Flicks: it asks only to send, and its own page says it cannot read.
        await carol.goto(flicksUrl);
        await carol.getByRole('link', { name: 'Connect with Parley' }).first().click();
        await carol.getByRole('textbox', { name: 'Username', exact: true }).fill('carol');
        await carol.getByRole('textbox', { name: 'Password', exact: true }).fill(PASSWORD);
        await carol.getByRole('button', { name: 'Log in', exact: true }).click();
        await carol.getByRole('heading', { level: 2, name: 'Flicks wants to:', exact: true }).waitFor();
        expect(await carol.locator('[data-scope]').count()).toBe(3); // openid, profile, messages.send
        await carol.getByRole('button', { name: 'Allow', exact: true }).click();
        await carol.waitForURL((url) => url.href.startsWith(flicksUrl));
        await carol
          .getByRole('heading', { name: 'Flicks cannot read your conversations or see your friends' })
          .waitFor();

        // Recommending happens on Parley's share page: carol picks alice there, not in Flicks.
        await carol.getByRole('link', { name: `Recommend ${show}`, exact: true }).click();
        await carol.waitForURL((url) => url.href.startsWith(`${parleyUrl}/share`));
        await carol.getByLabel(/Alice Martin/).check();
        await carol.getByRole('button', { name: 'Send', exact: true }).click();
        await carol.getByRole('link', { name: 'Back to Flicks' }).click();
        await carol.waitForURL((url) => url.href.startsWith(flicksUrl));

        // Back in Flicks, which knows the conversation (not with whom) and follows up there.
        await carol.getByRole('textbox', { name: `Follow-up message about ${show}` }).fill(followUp);
        await carol.getByRole('button', { name: `Send a follow-up about ${show}` }).click();

        // Alice sees both, via Flicks.
        await logInToParley(alice, 'alice');
        await alice
          .getByRole('list', { name: 'Conversations', exact: true })
          .getByRole('link')
          .filter({ hasText: 'Carol Nguyen' })
          .filter({ hasText: followUp })
          .click();
        const card = alice.getByTestId('message').filter({ hasText: show });
        await card.waitFor();
        expect(readable(await card.innerText())).toContain('via Flicks');
        await alice.getByTestId('message').filter({ hasText: followUp }).waitFor();

        // Carol unsends: both disappear from alice's conversation, live.
        await carol.getByRole('button', { name: `Unsend the recommendation of ${show}` }).click();
        await card.waitFor({ state: 'detached', timeout: 15_000 });
        await alice.getByTestId('message').filter({ hasText: followUp }).waitFor({ state: 'detached' });
      },
    );
  },
);
