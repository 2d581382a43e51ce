// What the demo apps' integration tests share: a live Parley (the server's own test harness, on
// SQLite, on a real port), the app started beside it, and a "browser" for each person: one cookie
// jar for the host 127.0.0.1 (cookies ignore ports, so Parley's and the app's cookies share it,
// as in a real browser), redirects followed across both servers, Origin sent as a browser sends it.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { befriend, client, type Person } from '../../server/test/harness.js';
import {
  CookieJar,
  freePort,
  registerApp,
  signup,
  startLiveApp,
  type LiveApp,
} from '../../server/test/oauth-harness.js';

export { befriend, client, signup, type Person };

// The server's harness reads what its global setup provides (server/test/global-setup.ts); this
// project runs SQLite only and has no such setup, but type-checks the harness all the same.
declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplate: string | null;
  }
}

export interface PartnerApp {
  url: string;
  close(): Promise<void>;
}

export interface AppOptions {
  port: number;
  host: string;
  publicUrl: string;
  parleyUrl: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  dataDir: string;
}

export interface World {
  parley: LiveApp;
  app: PartnerApp;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  dataDir: string;
  /** Stops the app, runs `meanwhile` (to change its data file, say), and starts it again on the same port and folder. */
  restartApp(meanwhile?: () => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * A live Parley on SQLite, the partner app registered on it by a developer ("labs") with these
 * scopes, and the app itself started on a free port with its credentials.
 */
export async function startWorld(o: {
  name: string;
  scopes: { scope: string; required: boolean }[];
  withWebhook: boolean;
  start: (options: AppOptions) => Promise<PartnerApp>;
}): Promise<World> {
  const parley = await startLiveApp('sqlite');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const labs = await signup(parley.app, 'labs');
  const registered = (await registerApp(parley, labs, o.scopes, {
    name: o.name,
    redirectUris: [`${url}/callback`],
    homepageUrl: url,
    ...(o.withWebhook ? { webhookUrl: `${url}/webhooks/parley` } : {}),
  })) as { clientId: string; clientSecret: string; webhookSecret: string };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${o.name.toLowerCase()}-test-`));
  const options: AppOptions = {
    port,
    host: '127.0.0.1',
    publicUrl: url,
    parleyUrl: parley.baseUrl,
    ...registered,
    dataDir,
  };
  const world: World = {
    parley,
    app: await o.start(options),
    ...registered,
    dataDir,
    async restartApp(meanwhile) {
      await world.app.close();
      meanwhile?.();
      world.app = await o.start(options);
    },
    async close() {
      await world.app.close();
      await parley.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}

/** The app's JSON file, as it is on disk now. */
export function storedData<T>(world: World, fileName: string): T {
  return JSON.parse(fs.readFileSync(path.join(world.dataDir, fileName), 'utf8')) as T;
}

/** Replaces the app's JSON file (while the app is stopped). */
export function writeStoredData(world: World, fileName: string, data: unknown): void {
  fs.writeFileSync(path.join(world.dataDir, fileName), JSON.stringify(data));
}

export type Browser = ReturnType<typeof browserOf>;

/** One person's browser, already logged in to Parley. */
export function browserOf(person: Person) {
  const jar = new CookieJar(person.cookie);
  const request = async (url: string, init: RequestInit = {}) => {
    const target = new URL(url);
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
    const cookie = jar.header(target);
    if (cookie) headers.cookie = cookie;
    if (init.method && init.method !== 'GET') headers.origin ??= target.origin;
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    jar.store(response);
    return response;
  };
  return {
    jar,
    request,
    /** Follows redirects (across Parley and the app) until a page answers. */
    async navigate(url: string): Promise<{ url: string; response: Response }> {
      let current = url;
      for (let hops = 0; hops < 15; hops++) {
        const response = await request(current);
        const location = response.headers.get('location');
        if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
        await response.body?.cancel();
        current = new URL(location, current).href;
      }
      throw new Error('too many redirects');
    },
    async page(url: string): Promise<{ url: string; status: number; html: string }> {
      const { url: finalUrl, response } = await this.navigate(url);
      return { url: finalUrl, status: response.status, html: await response.text() };
    },
    postJson(url: string, body: unknown) {
      return request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
    },
  };
}

/**
 * Presses "Connect with Parley" in the app at `appUrl`, allows `scopes` on Parley's consent
 * screen (all it asks for, by default), and returns the app page the person lands on.
 */
export async function connect(
  browser: Browser,
  parleyUrl: string,
  appUrl: string,
  decision: { scopes?: string[] } | 'deny' = {},
) {
  const consentPage = await browser.navigate(`${appUrl}/connect`);
  const uid = /\/consent\/([^/?]+)$/.exec(new URL(consentPage.url).pathname)?.[1];
  if (!uid) throw new Error(`expected Parley's consent screen, got ${consentPage.url}`);
  await consentPage.response.body?.cancel();
  const details = (await (await browser.request(`${parleyUrl}/consent/${uid}/details`)).json()) as {
    scopes: { scope: string; required: boolean }[];
  };
  const decided =
    decision === 'deny'
      ? await browser.request(`${parleyUrl}/consent/${uid}/deny`, { method: 'POST' })
      : await browser.postJson(`${parleyUrl}/consent/${uid}/confirm`, {
          scopes: decision.scopes ?? details.scopes.map((s) => s.scope),
          threadIds: [],
        });
  if (decided.status !== 200) throw new Error(`consent: ${decided.status} ${await decided.text()}`);
  const { redirectTo } = (await decided.json()) as { redirectTo: string };
  const landed = await browser.page(redirectTo);
  return { ...landed, requestedScopes: details.scopes };
}

/** Reads a Server-Sent Events stream; `next` waits for the first event that matches. */
export async function openEvents(browser: Browser, url: string) {
  const controller = new AbortController();
  const response = await browser.request(url, {
    signal: controller.signal,
    headers: { accept: 'text/event-stream' },
  });
  if (response.status !== 200 || !response.body) throw new Error(`events: ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const received: { event: string; data: Record<string, unknown> }[] = [];
  let buffer = '';
  let consumed = 0;
  let isEnded = false;
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) received.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    } catch {
      // aborted
    } finally {
      isEnded = true;
    }
  })();
  return {
    received,
    get isEnded() {
      return isEnded;
    },
    /** The next event (after those already taken) that matches, within `timeoutMs`. */
    async next(match: (e: { event: string; data: Record<string, unknown> }) => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = received.findIndex((e, i) => i >= consumed && match(e));
        if (index >= 0) {
          consumed = index + 1;
          return received[index]!;
        }
        if (Date.now() > deadline) {
          throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(received)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}

/** A Parley-Signature header as Parley makes it (HMAC-SHA256 over `${t}.${body}`). */
export function signature(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Waits until `check` passes (polling), or fails with its last error. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
