// The partner flow with the consent page in Chromium, on SQLite and on PostgreSQL: a partner
// app (oauth4webapi) sends Ann to Parley's consent page; she logs in there, ticks only what she
// wants and one conversation; the app gets exactly that, posts "via Tunes" where Bob sees it
// and sees who connected it; Ann revokes it in Apps & access and its token stops at once.
import { randomBytes } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgresReachable, isRequired, PG_ADMIN_URL, urlFor, withAdmin } from '../server/test/postgres.js';
import { apiExpect, befriend, directThread, logInContext, signUpByApi, type Account } from './support/api.js';
import { CHROMIUM_PATH, hasChromium, launchBrowser } from './support/browser.js';
import { withDiagnostics } from './support/diagnostics.js';
import { newPerson, openPage } from './support/people.js';
import {
  partnerApi,
  partnerOf,
  registerApp,
  type RegisteredApp,
  type ScopeRequest,
  waitForCallback,
} from './support/partner.js';
import { buildApp, startServer, type RunningServer } from './support/server.js';

const isBrowserRequired = isRequired('BROWSER');
if (!hasChromium() && !isBrowserRequired) {
  console.warn(`[parley] Chromium not found at ${CHROMIUM_PATH}: consent journeys skipped (CI installs it)`);
}
const suite = hasChromium() || isBrowserRequired ? describe : describe.skip;

const isPostgresRequired = isRequired('PG');
const hasPostgres = await isPostgresReachable();
if (!hasPostgres && !isPostgresRequired) {
  console.warn(
    `[parley] PostgreSQL not reachable at ${new URL(PG_ADMIN_URL).host}: ` +
      'the PostgreSQL consent journeys are skipped (CI requires them)',
  );
}

/** Where the server keeps its data for one run of the journeys, and how to clean up after. */
interface Database {
  readonly name: 'SQLite' | 'PostgreSQL';
  readonly isAvailable: boolean;
  /** A fresh, empty database: the URL to start the server with (none: SQLite), and its drop. */
  create(): Promise<{ url?: string; drop: () => Promise<void> }>;
}

const databases: Database[] = [
  {
    name: 'SQLite',
    isAvailable: true,
    create: async () => ({ drop: async () => undefined }), // the server's temp data dir goes with it
  },
  {
    name: 'PostgreSQL',
    isAvailable: hasPostgres || isPostgresRequired,
    async create() {
      if (!hasPostgres) {
        throw new Error(
          `PostgreSQL is required here (CI=true or PARLEY_REQUIRE_PG=1) but not reachable at ${new URL(PG_ADMIN_URL).host}`,
        );
      }
      const name = `parley_e2e_${randomBytes(6).toString('hex')}`;
      await withAdmin((admin) => admin.query(`create database ${name}`));
      return {
        url: urlFor(name),
        drop: async () => {
          await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
        },
      };
    },
  },
];

/** What Tunes registers: openid is required, everything else optional, each with its reason. */
const TUNES_SCOPES: ScopeRequest[] = [
  { scope: 'openid', purpose: 'To recognise you when you come back to Tunes.', required: true },
  { scope: 'profile', purpose: 'To show your name on your Tunes profile.' },
  { scope: 'offline_access', purpose: 'To send the songs you schedule while you are away.' },
  { scope: 'messages.send', purpose: 'To send the songs you share to the friend you pick.' },
  { scope: 'threads.connect', purpose: 'To chat about a song in the conversation you choose.' },
];
const REQUESTED = 'openid profile offline_access messages.send threads.connect';

interface ScopeInfo {
  scope: string;
  title: string;
  can: string[];
  cannot: string[];
}

/** Text as a person reads it: whitespace collapsed. */
const readable = (text: string) => text.replace(/\s+/g, ' ').trim();

suite('the consent page in the browser', () => {
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!hasChromium()) {
      throw new Error(
        `Chromium is required here (CI=true or PARLEY_REQUIRE_BROWSER=1) but ${CHROMIUM_PATH} does not exist: ` +
          'install it with `apt-get install -y chromium`.',
      );
    }
    await buildApp();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  describe.each(databases)('on $name', (database) => {
    const journey = database.isAvailable ? it : it.skip;
    let server: RunningServer | undefined;
    let dropDatabase: (() => Promise<void>) | undefined;
    let developer: Account;
    let tunes: RegisteredApp;
    let catalogue: Map<string, ScopeInfo>;
    const opened: Page[] = [];

    beforeAll(async () => {
      if (!database.isAvailable) return;
      const created = await database.create();
      dropDatabase = created.drop;
      server = await startServer(created.url === undefined ? {} : { databaseUrl: created.url });
      const { url } = server;
      developer = await signUpByApi(url, newPerson('Dev', 'Nakamura'));
      tunes = await registerApp(url, developer, {
        name: 'Tunes',
        description: 'A small music player: share a song and chat about it.',
        scopes: TUNES_SCOPES,
      });
      const scopes = await apiExpect<{ items: ScopeInfo[] }>(
        url,
        developer.session,
        'GET',
        '/api/scopes',
        200,
      );
      catalogue = new Map(scopes.items.map((s) => [s.scope, s]));
    });

    afterAll(async () => {
      for (const page of opened)
        await page
          .context()
          .close()
          .catch(() => undefined);
      await server?.stop();
      await dropDatabase?.();
    });

    /** A fresh browser context, logged in as `account` when given. */
    async function pageFor(account?: Account): Promise<Page> {
      const page = await openPage(browser!);
      opened.push(page);
      if (account) await logInContext(page.context(), server!.url, account);
      return page;
    }

    const scopeTitle = (scope: string) => catalogue.get(scope)!.title;
    const checkbox = (page: Page, scope: string) =>
      page.getByRole('checkbox', { name: scopeTitle(scope), exact: true });

    /** Clicks the button that ends the consent; returns where Parley sent the browser back to the app. */
    async function backAtTheApp(page: Page, button: string): Promise<URL> {
      const callback = await waitForCallback(page, () =>
        page.getByRole('button', { name: button, exact: true }).click(),
      );
      // Sent there by Parley's authorization endpoint (a redirect), not by the page itself.
      const authorizationEndpoint = `${server!.url}/oauth/`;
      expect(callback.redirectedFrom?.slice(0, authorizationEndpoint.length)).toBe(authorizationEndpoint);
      return callback.url;
    }

    journey(
      'Ann logs in on the consent page, grants one conversation, Tunes posts there via Tunes, Bob sees it, Ann revokes',
      async () => {
        const { url } = server!;
        const ann = await signUpByApi(url, newPerson('Ann', 'Lindgren'));
        const bob = await signUpByApi(url, newPerson('Bob', 'Okoro'));
        await befriend(url, ann, bob);
        const threadId = await directThread(url, ann, bob);
        const run = ann.username.slice(-8);
        const text = `Listen to "So What" with me (${run})`;

        const partner = await partnerOf(url, tunes);
        const request = await partner.authorizationRequest(REQUESTED);
        const annPage = await pageFor();
        const bobPage = await pageFor(bob);

        await withDiagnostics(
          `consent-${database.name}`,
          { ann: annPage, bob: bobPage },
          () => server!.output(),
          async () => {
            // The authorization request lands on Parley's consent page; Ann is logged out there.
            await annPage.goto(request.url);
            await annPage.getByRole('button', { name: 'Log in', exact: true }).waitFor();
            expect(new URL(annPage.url()).pathname).toMatch(/^\/consent\/[^/]+$/);
            await annPage.getByRole('heading', { level: 1, name: 'Tunes', exact: true }).waitFor();
            await annPage.getByRole('textbox', { name: 'Username', exact: true }).fill(ann.username);
            await annPage.getByRole('textbox', { name: 'Password', exact: true }).fill(ann.password);
            await annPage.getByRole('button', { name: 'Log in', exact: true }).click();

            // Logged in: the app, its developer, and what it wants.
            await annPage.getByRole('heading', { level: 2, name: 'Tunes wants to:', exact: true }).waitFor();
            await annPage.getByRole('heading', { level: 1, name: 'Tunes', exact: true }).waitFor();
            await annPage.getByText(`by ${developer.displayName}`, { exact: true }).waitFor();

            // Each scope: its title, Tunes' purpose in its own words, Parley's can / cannot lines.
            for (const { scope, purpose, required } of TUNES_SCOPES) {
              const row = annPage.locator(`[data-scope="${scope}"]`);
              const shown = readable(await row.innerText());
              const info = catalogue.get(scope)!;
              expect(shown, scope).toContain(info.title);
              expect(shown, scope).toContain(`Why: “${purpose}”`);
              for (const line of info.can) expect(shown, scope).toContain(`Can: ${line}`);
              for (const line of info.cannot) expect(shown, scope).toContain(`Cannot: ${line}`);
              expect(await row.getByText('Required', { exact: true }).count(), scope).toBe(required ? 1 : 0);
            }
            // The lines are Parley's, not the app's: e.g. sending never reads.
            expect(readable(await annPage.locator('[data-scope="messages.send"]').innerText())).toContain(
              'Cannot: Read any conversation',
            );

            // openid is required: ticked and fixed. Nothing optional is ticked, no conversation either.
            expect(await checkbox(annPage, 'openid').isChecked()).toBe(true);
            expect(await checkbox(annPage, 'openid').isDisabled()).toBe(true);
            for (const scope of ['profile', 'offline_access', 'messages.send', 'threads.connect']) {
              expect(await checkbox(annPage, scope).isChecked(), scope).toBe(false);
              expect(await checkbox(annPage, scope).isEnabled(), scope).toBe(true);
            }
            const everyBox = annPage.getByRole('checkbox');
            expect(await everyBox.count()).toBe(TUNES_SCOPES.length + 1); // + the conversation with Bob
            const ticked: string[] = [];
            for (const box of await everyBox.all()) {
              if (await box.isChecked()) ticked.push((await box.getAttribute('id')) ?? '?');
            }
            expect(ticked).toEqual([await checkbox(annPage, 'openid').getAttribute('id')]);

            // The conversation picker waits for "Join conversations you choose".
            const picker = annPage.getByRole('group', { name: 'Conversations Tunes may join', exact: true });
            const withBob = picker.getByRole('checkbox', { name: bob.displayName, exact: true });
            expect(await withBob.isChecked()).toBe(false);
            expect(await withBob.isDisabled()).toBe(true);

            await checkbox(annPage, 'messages.send').check();
            await checkbox(annPage, 'threads.connect').check();
            expect(await withBob.isEnabled()).toBe(true);
            expect(await withBob.isChecked()).toBe(false);
            await withBob.check();
            expect(await checkbox(annPage, 'profile').isChecked()).toBe(false);
            expect(await checkbox(annPage, 'offline_access').isChecked()).toBe(false);

            // Allow: back at Tunes with a code and the state it sent.
            const callback = await backAtTheApp(annPage, 'Allow');
            expect(callback.searchParams.get('code')).toBeTruthy();
            expect(callback.searchParams.get('state')).toBe(request.state);
            expect(callback.searchParams.get('error')).toBeNull();

            // Tunes gets exactly what Ann ticked: that conversation, no refresh token.
            const tokens = await partner.exchange(callback.href, request);
            expect(tokens.authorization_details).toEqual([
              { type: 'parley_thread', identifier: threadId, actions: ['read', 'post'] },
            ]);
            expect(tokens.refresh_token).toBeUndefined();
            const tokenScopes = (tokens.scope ?? '').split(' ');
            expect(tokenScopes).not.toContain('profile');
            expect(tokenScopes).not.toContain('offline_access');

            const permissions = await partnerApi(url, tokens.access_token, 'GET', '/me/permissions');
            expect(permissions.status).toBe(200);
            const granted = (await permissions.json()) as {
              scopes: { scope: string }[];
              threads: { id: string; label: string }[];
            };
            expect(granted.scopes.map((s) => s.scope).sort()).toEqual([
              'messages.send',
              'openid',
              'threads.connect',
            ]);
            expect(granted.threads.map((t) => [t.id, t.label])).toEqual([[threadId, bob.displayName]]);

            // Bob opens the conversation: he is told Tunes is there, and who connected it.
            await bobPage.goto(`${url}/t/${threadId}`);
            await bobPage.getByRole('heading', { level: 2, name: ann.displayName, exact: true }).waitFor();
            const appsNotice = bobPage.getByRole('list', { name: 'Apps in this conversation', exact: true });
            await appsNotice.waitFor();
            expect(readable(await appsNotice.innerText())).toContain(
              `Tunes can read this conversation — connected by ${ann.displayName}`,
            );

            // Tunes posts in it as Ann; Bob sees it arrive, marked "via Tunes".
            const sent = await partnerApi(url, tokens.access_token, 'POST', '/messages', {
              to: threadId,
              text,
            });
            expect(sent.status).toBe(201);
            expect(await sent.json()).toMatchObject({
              threadId,
              text,
              author: { id: ann.id },
              via: { clientId: tunes.clientId, name: 'Tunes' },
            });
            const bubble = bobPage.getByTestId('message').filter({ hasText: text });
            await bubble.waitFor();
            const bubbleText = readable(await bubble.innerText());
            expect(bubbleText).toContain(ann.displayName);
            expect(bubbleText).toContain('via Tunes');

            // Ann revokes Tunes in Apps & access (the confirm dialog is accepted): its token dies.
            expect((await partnerApi(url, tokens.access_token, 'GET', '/me')).status).toBe(200);
            await annPage.goto(`${url}/apps`);
            const card = annPage.getByTestId(`connected-app-${tunes.clientId}`);
            await card.waitFor();
            const cardText = readable(await card.innerText());
            for (const scope of ['openid', 'messages.send', 'threads.connect'])
              expect(cardText).toContain(scopeTitle(scope));
            for (const scope of ['profile', 'offline_access'])
              expect(cardText).not.toContain(scopeTitle(scope));
            await card.getByRole('link', { name: bob.displayName, exact: true }).waitFor();
            await card.getByRole('button', { name: 'Revoke access', exact: true }).click();
            await card.waitFor({ state: 'detached' });
            await annPage.getByText('No apps are connected to your account.', { exact: true }).waitFor();

            const after = await partnerApi(url, tokens.access_token, 'GET', '/me');
            expect(after.status).toBe(401);

            // Bob reads what Tunes did with his data and verifies it in the browser with
            // @parley/tlog: inclusion proofs against the signed checkpoint.
            await new Promise((resolve) => setTimeout(resolve, 1200)); // one signer tick
            await bobPage.goto(`${url}/access-log`);
            await bobPage.getByRole('heading', { name: 'Tunes' }).first().waitFor();
            await bobPage.getByRole('button', { name: 'Verify', exact: true }).click();
            const result = bobPage.getByText(
              /^Verified \d+ (entry|entries) against checkpoint \d+, signed by /,
            );
            await result.waitFor({ timeout: 10_000 });
            expect(await result.textContent()).toContain('/transparency');
          },
        );
      },
    );

    journey('Cancel on the consent page sends the person back to the app with access_denied', async () => {
      const { url } = server!;
      const cy = await signUpByApi(url, newPerson('Cy', 'Moreau'));
      const partner = await partnerOf(url, tunes);
      const request = await partner.authorizationRequest(REQUESTED);
      const page = await pageFor(cy);

      await withDiagnostics(
        `consent-cancel-${database.name}`,
        { cy: page },
        () => server!.output(),
        async () => {
          await page.goto(request.url);
          await page.getByRole('heading', { level: 2, name: 'Tunes wants to:', exact: true }).waitFor();
          const callback = await backAtTheApp(page, 'Cancel');
          expect(callback.searchParams.get('error')).toBe('access_denied');
          expect(callback.searchParams.get('state')).toBe(request.state);
          expect(callback.searchParams.get('code')).toBeNull();
          // A partner's OAuth library reads it as the person's refusal.
          let refusal: unknown;
          try {
            partner.callbackParameters(callback.href, request);
          } catch (error) {
            refusal = error;
          }
          expect(refusal).toBeInstanceOf(oauth.AuthorizationResponseError);
          expect((refusal as oauth.AuthorizationResponseError).error).toBe('access_denied');
          // Nothing was granted.
          expect(await apiExpect(url, cy.session, 'GET', '/api/apps', 200)).toEqual({ items: [] });
        },
      );
    });
  });
});
