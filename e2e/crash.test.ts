// Crash safety of the transparency log (issue 4, item 7), against the real, built server on
// SQLite: a partner app keeps sending and reading as Ann from several loops while the server
// is killed with SIGKILL ten times and restarted on the same data dir, port and PUBLIC_URL.
// Every response that carried an Access-Receipt must have its entry afterwards — the one it
// named, as Ann sees it in her access log — and `parley log verify` must pass, run as the real
// CLI after every crash (on exactly what the crash left) and after the last stop.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiExpect, befriend, signUpByApi, type Account } from './support/api.js';
import { consentByHttp } from './support/http-consent.js';
import { newPerson } from './support/people.js';
import { partnerApi, partnerOf, registerApp, type RegisteredApp } from './support/partner.js';
import { buildApp, freePort, REPO_ROOT, startServer, type RunningServer } from './support/server.js';

const KILLS = 10;
const LOOPS = 4;
/** Each kill comes this long into its round of traffic (uniformly at random). */
const KILL_AFTER_MS = { min: 200, max: 800 };
/** Traffic after the last restart, before the checks: the restarted server must serve too. */
const LAST_ROUND_MS = 500;
/** The whole crash-and-restart part (the build and set-up aside). */
const BUDGET_MS = 90_000;
const SCOPES = ['openid', 'messages.send', 'messages.read'];

type Action = 'app_message.send' | 'app_thread.read';

/** What a response said it logged: its receipt, and what the request touched (if the body arrived). */
interface Receipted {
  index: number;
  action: Action;
  /** The ids of the messages sent or read; undefined if the server died before the body arrived. */
  messageIds?: string[];
  round: number;
}

interface LeafView {
  index: number;
  entry: { app: string; actor: string; action: string; messages: string[]; subjects: string[] };
}

/** fetch's error for a connection the server refused (it is down), as opposed to one cut off. */
function isRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === 'ECONNREFUSED';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `Access-Receipt: 12, 13` → [12, 13]. */
function receiptsOf(response: Response): number[] {
  const header = response.headers.get('access-receipt');
  if (header === null) return [];
  return header.split(',').map((part) => {
    const index = Number(part.trim());
    if (!Number.isSafeInteger(index) || index < 0) throw new Error(`a malformed Access-Receipt: "${header}"`);
    return index;
  });
}

describe('crash safety of the transparency log', () => {
  let dataDir: string | undefined;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    await buildApp();
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-e2e-crash-'));
  });

  afterAll(async () => {
    await server?.stop();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  /** `parley log verify` as the real CLI, on the data dir (the server must not be running). */
  async function logVerify(): Promise<{ code: number; output: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, PARLEY_DATA_DIR: dataDir!, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    delete env.NATS_URL;
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['server/dist/cli.js', 'log', 'verify'],
        { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 20_000 },
      );
      return { code: 0, output: `${stdout}${stderr}` };
    } catch (error) {
      const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
      return {
        code: typeof e.code === 'number' ? e.code : -1,
        output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`,
      };
    }
  }

  it(`keeps every receipted access through ${KILLS} SIGKILLs during partner traffic`, async () => {
    const port = await freePort();
    const start = () => startServer({ dataDir: dataDir!, port });
    server = await start();
    const { url } = server;

    // Set-up: a developer's app; Ann and Bob are friends; Ann connects the app (consent over HTTP).
    const developer = await signUpByApi(url, newPerson('Dev', 'Eloper'));
    const ann: Account = await signUpByApi(url, newPerson('Ann', 'Lee'));
    const bob: Account = await signUpByApi(url, newPerson('Bob', 'Stone'));
    await befriend(url, ann, bob);
    const registered: RegisteredApp = await registerApp(url, developer, {
      name: 'Crashtest',
      description: 'Sends and reads as fast as it may while the platform keeps crashing.',
      scopes: SCOPES.map((scope) => ({
        scope,
        purpose: `Crashtest uses ${scope} to work`,
      })),
    });
    const partner = await partnerOf(url, registered);
    const authorization = await partner.authorizationRequest(SCOPES.join(' '));
    const callbackUrl = await consentByHttp(url, ann, authorization.url, { scopes: SCOPES });
    const tokens = await partner.exchange(callbackUrl, authorization);
    const token = tokens.access_token;

    const receipted: Receipted[] = [];
    const counts = { requests: 0, answered: 0, rateLimited: 0, cutOff: 0, refused: 0 };
    /** Non-2xx answers other than 429 (and any with receipts): a problem, listed in the failure. */
    const unexpected: string[] = [];
    let round = 0;

    // The conversation the app started with Bob (its first message is receipted too).
    const first = await partnerApi(url, token, 'POST', '/messages', {
      to: bob.id,
      text: 'hello before the storm',
    });
    const firstBody = (await first.json()) as { id: string; threadId: string };
    expect(first.status, JSON.stringify(firstBody)).toBe(201);
    for (const index of receiptsOf(first)) {
      receipted.push({ index, action: 'app_message.send', messageIds: [firstBody.id], round });
    }
    const threadId = firstBody.threadId;

    let isRunning = true;
    async function loop(n: number): Promise<void> {
      for (let i = 0; isRunning; i++) {
        const action: Action = (i + n) % 2 === 0 ? 'app_message.send' : 'app_thread.read';
        const roundNow = round;
        counts.requests++;
        let response: Response;
        try {
          response =
            action === 'app_message.send'
              ? await partnerApi(url, token, 'POST', '/messages', {
                  to: bob.id,
                  text: `loop ${n} message ${i} (round ${roundNow})`,
                })
              : await partnerApi(url, token, 'GET', `/threads/${threadId}/messages?limit=5`);
        } catch (error) {
          // No answer, so no receipt: refused while the server is down, or cut off by the kill.
          if (isRefused(error)) counts.refused++;
          else counts.cutOff++;
          await sleep(50);
          continue;
        }
        counts.answered++;
        // The headers arrived: a receipt here is a promise, even if the body never does.
        const indexes = receiptsOf(response);
        let body: unknown;
        try {
          body = await response.json();
        } catch {
          body = undefined;
        }
        if (response.status === 429) {
          counts.rateLimited++;
          if (indexes.length) unexpected.push(`429 with Access-Receipt ${indexes.join(', ')}`);
          await sleep(50);
          continue;
        }
        if (response.status < 200 || response.status >= 300) {
          unexpected.push(
            `${action}: ${response.status} ${JSON.stringify(body)} receipts [${indexes.join(', ')}]`,
          );
          continue;
        }
        const messageIds =
          body === undefined
            ? undefined
            : action === 'app_message.send'
              ? [(body as { id: string }).id]
              : (body as { items: { id: string }[] }).items.map((m) => m.id);
        if (indexes.length !== 1)
          unexpected.push(`${action}: ${response.status} with receipts [${indexes.join(', ')}]`);
        for (const index of indexes) {
          receipted.push({ index, action, ...(messageIds ? { messageIds } : {}), round: roundNow });
        }
      }
    }

    const began = Date.now();
    let verifyRuns = 0;
    const loops = Array.from({ length: LOOPS }, (_, n) => loop(n));
    try {
      for (let kill = 1; kill <= KILLS; kill++) {
        round = kill;
        const receiptsBefore = receipted.length;
        await sleep(KILL_AFTER_MS.min + Math.random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min));
        await server.crash(); // process.kill(pid, 'SIGKILL')
        // What the crash left must verify as it is, before the server touches it again.
        const verify = await logVerify();
        verifyRuns++;
        expect(verify.code, `log verify after kill ${kill}:\n${verify.output}`).toBe(0);
        expect(
          receipted.length - receiptsBefore,
          `round ${kill} got no receipts:\n${server.output()}`,
        ).toBeGreaterThan(0);
        server = await start();
        expect(Date.now() - began, 'the crash rounds took too long').toBeLessThan(BUDGET_MS);
      }
      round = KILLS + 1;
      await sleep(LAST_ROUND_MS);
    } finally {
      isRunning = false;
      await Promise.all(loops);
    }

    expect(unexpected, unexpected.join('\n')).toEqual([]);
    expect(receipted.length).toBeGreaterThanOrEqual(30);
    // A receipt names one entry: no index was handed out twice (as it would be if a crash lost
    // an entry after its response had left and the next append took its place).
    const byIndex = new Map<number, Receipted>();
    for (const r of receipted) {
      expect(byIndex.get(r.index), `index ${r.index} was receipted twice`).toBeUndefined();
      byIndex.set(r.index, r);
    }
    const highest = Math.max(...byIndex.keys());

    // The log size after the final restart, from the published checkpoint (at most 500 ms behind).
    let logSize = -1;
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; await sleep(100)) {
      const response = await fetch(`${url}/v1/transparency/checkpoint`);
      if (response.status === 200) logSize = Number((await response.text()).split('\n')[1]);
      if (logSize > highest) break;
    }
    expect(logSize, 'the published checkpoint covers every receipt').toBeGreaterThan(highest);

    // Ann's access log (she is a data subject of every access the app made for her), page by page.
    const seen = new Map<number, LeafView>();
    let before: string | undefined;
    for (let pages = 0; pages < 1_000; pages++) {
      const query = `limit=200${before === undefined ? '' : `&before=${before}`}`;
      const page = await apiExpect<{ items: LeafView[]; nextCursor?: string }>(
        url,
        ann.session,
        'GET',
        `/api/access-log?${query}`,
        200,
      );
      for (const item of page.items) seen.set(item.index, item);
      if (page.nextCursor === undefined) break;
      before = page.nextCursor;
    }
    const missing: string[] = [];
    for (const r of byIndex.values()) {
      const found = seen.get(r.index);
      const problem =
        found === undefined
          ? 'is not in Ann’s access log'
          : found.entry.app !== registered.clientId || found.entry.actor !== ann.id
            ? `is someone else's access (${JSON.stringify(found.entry)})`
            : found.entry.action !== r.action
              ? `is a ${found.entry.action}, not the ${r.action} it was a receipt for`
              : r.messageIds !== undefined &&
                  JSON.stringify([...r.messageIds].sort()) !== JSON.stringify(found.entry.messages)
                ? `names messages ${JSON.stringify(found.entry.messages)}, not ${JSON.stringify(r.messageIds)}`
                : null;
      if (problem !== null) missing.push(`receipt ${r.index} (round ${r.round}, ${r.action}) ${problem}`);
    }
    expect(missing, missing.join('\n')).toEqual([]);

    // The last stop, then the real CLI once more.
    await server.stop();
    const verify = await logVerify();
    verifyRuns++;
    expect(verify.code, verify.output).toBe(0);
    expect(verify.output).toContain('log verify ok');

    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    console.log(
      `[parley] crash test: ${KILLS} kills, ${counts.answered} requests, ${byIndex.size} receipts, all present, ` +
        `log verify ok (${counts.rateLimited} of the requests rate-limited (429); ` +
        `${counts.cutOff} cut off by a kill and ${counts.refused} refused while down, unanswered; ` +
        `log size ${logSize}; ${verifyRuns} verify runs; ${seconds} s)`,
    );
  }, 150_000);
});
