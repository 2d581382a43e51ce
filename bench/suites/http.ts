// http.hello, partner.send, partner.read, partner.me, web.send: requests a second over HTTP from
// the load generator's own process, against the built server started as `npm start` starts it
// (SQLite, durable commits). Each subject is measured right after its own run of the bare
// Fastify "hello", so both see the same machine (others may be busy on it); the ratio is to that
// paired run, and http.hello's row is the median of those runs.
import WebSocket from 'ws';
import type { Context } from '../lib/context.js';
import { CONNECTIONS, measureLoad, warmUp, type LoadResult, type LoadSpec } from '../lib/load.js';
import {
  api,
  befriend,
  browserFor,
  exchangeCode,
  registerApp,
  signUp,
  SESSION_COOKIE,
  startThread,
  type Person,
} from '../lib/parley.js';
import { cpuSecondsOf, sleep, startBaselineServer, startParley } from '../lib/proc.js';
import { formatNumber, row, type Row } from '../lib/report.js';

const PARTNER_SCOPES = ['openid', 'profile', 'messages.send', 'messages.read'];
const SUBJECTS = ['partner.send', 'partner.read', 'partner.me', 'web.send'] as const;

/** A live connection of a person (/api/events), counting the messages it is sent. */
async function listen(baseUrl: string, person: Person): Promise<{ received(): number; close(): void }> {
  const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/events`, {
    headers: { cookie: `${SESSION_COOKIE}=${person.session}`, origin: baseUrl },
  });
  let received = 0;
  socket.on('message', (data: Buffer) => {
    if (data.includes('"message.created"')) received++;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { received: () => received, close: () => socket.close() };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function httpSuite(ctx: Context): Promise<Row[]> {
  const subjects = SUBJECTS.filter((s) => ctx.wants(s));
  if (subjects.length === 0 && !ctx.wants('http.hello')) return [];
  const { sizes } = ctx;
  const hello = await startBaselineServer('servers/hello.ts', 'the hello server');
  const parley = await startParley({ nodeArgs: ctx.serverNodeArgs('http') });
  const listeners: { received(): number; close(): void }[] = [];
  try {
    ctx.log('http: setting up people, an app and its token over HTTP');
    const [ann, ben] = await Promise.all([signUp(parley.url, 'ann'), signUp(parley.url, 'ben')]);
    await befriend(parley.url, ann, ben);
    const webThread = await startThread(parley.url, ann, [ben]);
    const app = await registerApp(parley.url, ann, PARTNER_SCOPES);
    const token = await exchangeCode(
      parley.url,
      app,
      await browserFor(parley.url, ann, app, PARTNER_SCOPES).code(),
    );
    const bearer = { authorization: `Bearer ${token}` };
    const sendBody = JSON.stringify({ to: ben.id, text: 'A song for you: Here Comes the Sun' });
    // The app's conversation with Ben, with more than a page of messages.
    const first = await fetch(`${parley.url}/v1/messages`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: sendBody,
    });
    if (first.status !== 201) throw new Error(`POST /v1/messages: ${first.status} ${await first.text()}`);
    const appThread = ((await first.json()) as { threadId: string }).threadId;
    for (let i = 0; i < 60; i++) {
      const r = await fetch(`${parley.url}/v1/messages`, {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ to: appThread, text: `Message ${i} of the page` }),
      });
      if (r.status !== 201) throw new Error(`seeding: ${r.status} ${await r.text()}`);
    }
    const page = await api<{ items: unknown[] }>(
      parley.url,
      ann,
      'GET',
      `/api/threads/${webThread}/messages`,
    );
    if (!Array.isArray(page.items)) throw new Error('no message page');
    const partnerPage = (await (
      await fetch(`${parley.url}/v1/threads/${appThread}/messages?limit=50`, { headers: bearer })
    ).json()) as { items?: unknown[] };
    if (partnerPage.items?.length !== 50) throw new Error('partner.read does not read 50 messages');
    // Live fan-out is part of a send: both people have a connection open.
    listeners.push(await listen(parley.url, ann), await listen(parley.url, ben));

    const specs: Record<(typeof SUBJECTS)[number], LoadSpec> = {
      'partner.send': {
        url: `${parley.url}/v1/messages`,
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: sendBody,
        connections: CONNECTIONS,
        seconds: sizes.httpSeconds,
      },
      'partner.read': {
        url: `${parley.url}/v1/threads/${appThread}/messages?limit=50`,
        headers: bearer,
        connections: CONNECTIONS,
        seconds: sizes.httpSeconds,
      },
      'partner.me': {
        url: `${parley.url}/v1/me`,
        headers: bearer,
        connections: CONNECTIONS,
        seconds: sizes.httpSeconds,
      },
      'web.send': {
        url: `${parley.url}/api/threads/${webThread}/messages`,
        method: 'POST',
        headers: {
          cookie: `${SESSION_COOKIE}=${ann.session}`,
          origin: parley.url,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ text: 'Saturday works for me.' }),
        connections: CONNECTIONS,
        seconds: sizes.httpSeconds,
      },
    };
    const helloSpec: LoadSpec = {
      url: `${hello.url}/`,
      connections: CONNECTIONS,
      seconds: sizes.httpSeconds,
    };

    const rows: Row[] = [];
    const helloRuns: number[] = [];
    let isHelloWarm = false;
    const measureHello = async (): Promise<LoadResult> => {
      if (!isHelloWarm) await warmUp(helloSpec, sizes.warmupSeconds, 'http.hello');
      isHelloWarm = true;
      const result = await measureLoad(helloSpec, 'http.hello');
      helloRuns.push(result.perSecond);
      return result;
    };
    for (const name of subjects) {
      ctx.log(`http: ${name} and its paired http.hello`);
      const spec = specs[name];
      const before = listeners.map((l) => l.received());
      const warm = await warmUp(spec, sizes.warmupSeconds, name);
      const baseline = await measureHello();
      const cpu0 = cpuSecondsOf(parley.pid);
      const t0 = performance.now();
      const measured = await measureLoad(spec, name);
      const busy = (cpuSecondsOf(parley.pid) - cpu0) / ((performance.now() - t0) / 1000);
      if (name === 'partner.send' || name === 'web.send') {
        // Every message went live to both people's connections (they may still be arriving).
        const sent = (warm?.ok ?? 0) + measured.ok;
        const deadline = Date.now() + 5_000;
        const delivered = () => listeners.map((l, i) => l.received() - before[i]!);
        while (delivered().some((d) => d < sent) && Date.now() < deadline) await sleep(50);
        if (delivered().some((d) => d < sent)) {
          throw new Error(`${name}: ${sent} sent, but the live connections got ${delivered().join(' and ')}`);
        }
      }
      rows.push(
        row(
          name,
          measured.perSecond,
          { name: 'http.hello', value: baseline.perSecond },
          `${CONNECTIONS} connections, ${sizes.httpSeconds} s; p99 ${formatNumber(measured.latencyP99Ms)} ms; server CPU ${Math.round(busy * 100)}% of a core`,
        ),
      );
    }
    if (subjects.length === 0) await measureHello();
    return [
      row(
        'http.hello',
        median(helloRuns),
        null,
        `bare Fastify, ${CONNECTIONS} connections, median of ${helloRuns.length} runs of ${sizes.httpSeconds} s`,
      ),
      ...rows,
    ];
  } finally {
    for (const l of listeners) l.close();
    await Promise.all([hello.stop(), parley.stop()]);
  }
}
