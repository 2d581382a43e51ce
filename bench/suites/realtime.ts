// realtime.fanout: messages a second delivered to every one of 1,000 WebSocket clients (a
// message counts once all of them have it), sent over HTTP with a few in flight, against a raw
// `ws` broadcast server driven the same way. The clients live in a process of their own.
// memory.ws_client: the server's RSS growth per connected /api/events client at 5,000 clients.
import type { Context } from '../lib/context.js';
import { befriend, signUp, SESSION_COOKIE, startThread, type Person } from '../lib/parley.js';
import {
  BENCH_DIR,
  cpuSecondsOf,
  rssOf,
  sleep,
  spawnNode,
  startBaselineServer,
  startParley,
  TS_NODE_ARGS,
  type Child,
} from '../lib/proc.js';
import { formatNumber, row, type Row } from '../lib/report.js';
import type { ClientCommand, ClientReply } from '../workers/ws-clients.js';
import path from 'node:path';

/** Messages sent but not yet delivered to every client. */
const WINDOW = 32;
const CONNECT_CONCURRENCY = 50;

/** A process of WebSocket clients, and a way to ask it things. */
function clientProcess(): Child & { ask(command: ClientCommand): Promise<ClientReply> } {
  const child = spawnNode([...TS_NODE_ARGS, path.join(BENCH_DIR, 'workers/ws-clients.ts')], {
    ipc: true,
    label: 'the WebSocket clients',
    isLoad: true,
  });
  return {
    ...child,
    ask(command) {
      return new Promise((resolve, reject) => {
        const onExit = () => reject(new Error(`the WebSocket clients exited:\n${child.output()}`));
        child.process.once('exit', onExit);
        child.process.once('message', (reply: ClientReply) => {
          child.process.off('exit', onExit);
          if (reply.cmd === 'error') reject(new Error(`WebSocket clients: ${reply.message}`));
          else resolve(reply);
        });
        child.process.send(command);
      });
    },
  };
}

async function expect<T extends ClientReply['cmd']>(
  reply: Promise<ClientReply>,
  cmd: T,
): Promise<Extract<ClientReply, { cmd: T }>> {
  const r = await reply;
  if (r.cmd !== cmd) throw new Error(`expected ${cmd}, got ${JSON.stringify(r)}`);
  return r as Extract<ClientReply, { cmd: T }>;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

const eventsHeaders = (baseUrl: string, person: Person) => ({
  cookie: `${SESSION_COOKIE}=${person.session}`,
  origin: baseUrl,
});

export async function fanoutSuite(ctx: Context): Promise<Row[]> {
  const { sizes } = ctx;
  const raw = await startBaselineServer('servers/raw-ws.ts', 'the raw ws server');
  const parley = await startParley({ nodeArgs: ctx.serverNodeArgs('realtime') });
  const parleyClients = clientProcess();
  const rawClients = clientProcess();
  try {
    // A group conversation of four friends; each has a quarter of the clients open.
    const people = await Promise.all(['fay', 'gus', 'hal', 'ida'].map((name) => signUp(parley.url, name)));
    const [sender, ...others] = people as [Person, ...Person[]];
    for (const other of others) await befriend(parley.url, sender, other);
    const thread = await startThread(parley.url, sender, others, 'Fan-out');
    const wsUrl = `${parley.url.replace('http', 'ws')}/api/events`;
    for (const person of people) {
      await expect(
        parleyClients.ask({
          cmd: 'connect',
          url: wsUrl,
          headers: eventsHeaders(parley.url, person),
          count: sizes.fanoutClients / people.length,
          concurrency: CONNECT_CONCURRENCY,
        }),
        'connected',
      );
    }
    await expect(
      rawClients.ask({
        cmd: 'connect',
        url: `${raw.url.replace('http', 'ws')}/events`,
        headers: {},
        count: sizes.fanoutClients,
        concurrency: CONNECT_CONCURRENCY,
      }),
      'connected',
    );
    const runParley = (seconds: number) =>
      expect(
        parleyClients.ask({
          cmd: 'fanout',
          sendUrl: `${parley.url}/api/threads/${thread}/messages`,
          sendHeaders: eventsHeaders(parley.url, sender),
          seconds,
          window: WINDOW,
        }),
        'fanout',
      );
    const runRaw = (seconds: number) =>
      expect(
        rawClients.ask({
          cmd: 'fanout',
          sendUrl: `${raw.url}/send`,
          sendHeaders: {},
          seconds,
          window: WINDOW,
        }),
        'fanout',
      );
    ctx.log(`realtime: fan-out to ${sizes.fanoutClients.toLocaleString('en-US')} clients, Parley and raw ws`);
    await runParley(sizes.warmupSeconds);
    await runRaw(sizes.warmupSeconds);
    // Alternating halves, so both see the same machine.
    const totals = {
      parley: { messages: 0, seconds: 0, serverCpu: 0, clientCpu: 0 },
      raw: { messages: 0, seconds: 0, serverCpu: 0, clientCpu: 0 },
    };
    // CPU seconds of the server and of the clients during a run, to tell who was the bottleneck.
    const timed = async (
      total: (typeof totals)['raw'],
      server: number,
      client: number,
      run: () => Promise<{ messages: number; seconds: number }>,
    ) => {
      const [s0, c0] = [cpuSecondsOf(server), cpuSecondsOf(client)];
      const t0 = performance.now();
      const result = await run();
      const wall = (performance.now() - t0) / 1000;
      total.messages += result.messages;
      total.seconds += result.seconds;
      total.serverCpu += (cpuSecondsOf(server) - s0) / wall / 2;
      total.clientCpu += (cpuSecondsOf(client) - c0) / wall / 2;
    };
    for (let i = 0; i < 2; i++) {
      await timed(totals.parley, parley.pid, parleyClients.pid, () => runParley(sizes.fanoutSeconds / 2));
      await timed(totals.raw, raw.pid, rawClients.pid, () => runRaw(sizes.fanoutSeconds / 2));
    }
    const parleyRate = totals.parley.messages / totals.parley.seconds;
    const rawRate = totals.raw.messages / totals.raw.seconds;
    return [
      row(
        'realtime.fanout',
        parleyRate,
        { name: 'ws.broadcast', value: rawRate },
        `${sizes.fanoutClients.toLocaleString('en-US')} clients (4 people in a group conversation, ${sizes.fanoutClients / 4} each), ${WINDOW} messages in flight, sent with POST /api/threads/:id/messages; ${formatNumber(parleyRate * sizes.fanoutClients)} deliveries/s; CPU of a core: Parley server ${pct(totals.parley.serverCpu)}, its clients ${pct(totals.parley.clientCpu)}, raw server ${pct(totals.raw.serverCpu)}, its clients ${pct(totals.raw.clientCpu)}`,
      ),
    ];
  } finally {
    await Promise.all([parleyClients.stop(), rawClients.stop()]);
    await Promise.all([raw.stop(), parley.stop()]);
  }
}

export async function wsMemorySuite(ctx: Context): Promise<Row[]> {
  const { sizes } = ctx;
  const parley = await startParley({ nodeArgs: ctx.serverNodeArgs('ws-memory') });
  const clients = clientProcess();
  try {
    const person = await signUp(parley.url, 'joe');
    const wsUrl = `${parley.url.replace('http', 'ws')}/api/events`;
    const headers = eventsHeaders(parley.url, person);
    // The code paths of a connection are loaded and warm before the first reading.
    await expect(
      clients.ask({ cmd: 'connect', url: wsUrl, headers, count: 100, concurrency: 20 }),
      'connected',
    );
    await expect(clients.ask({ cmd: 'close' }), 'closed');
    await sleep(2_000);
    const before = rssOf(parley.pid);
    ctx.log(`memory: ${sizes.memoryClients.toLocaleString('en-US')} WebSocket clients on /api/events`);
    const { open } = await expect(
      clients.ask({
        cmd: 'connect',
        url: wsUrl,
        headers,
        count: sizes.memoryClients,
        concurrency: CONNECT_CONCURRENCY,
      }),
      'connected',
    );
    await sleep(3_000);
    const after = rssOf(parley.pid);
    return [
      row(
        'memory.ws_client',
        (after - before) / open,
        null,
        `server RSS ${formatNumber(before / 1e6)} MB before, ${formatNumber(after / 1e6)} MB with ${open.toLocaleString('en-US')} clients (read from /proc after 3 s)`,
      ),
    ];
  } finally {
    await clients.stop();
    await parley.stop();
  }
}
