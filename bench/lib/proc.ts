// Child processes of the benchmark run: the built server as `npm start` runs it, the baseline
// servers, the load generator and the in-process workers. Each runs in its own process so the
// one being measured never shares an event loop (or a CPU-time budget) with the one measuring.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const BENCH_DIR = path.join(REPO_ROOT, 'bench');

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/** A port that was free a moment ago: listen on 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') return reject(new Error('no probe port'));
      probe.close(() => resolve(address.port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resident set size of a process, in bytes (VmRSS of /proc/<pid>/status). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** CPU time (user + system) a process used so far, in seconds (/proc/<pid>/stat, clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface Child {
  readonly pid: number;
  readonly process: ChildProcess;
  /** The last 20,000 characters the process printed. */
  output(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves when it is gone. */
  stop(): Promise<void>;
}

/**
 * What loads the servers (autocannon, the WebSocket clients) runs on the last CPU, where
 * `taskset` and two CPUs exist. Unpinned, the scheduler sometimes put it on the server's CPU and
 * sometimes not, and the same "hello" measured anywhere from 39,000 to 52,000 req/s from one run
 * to the next; with the load pinned, 45,900–49,800 in three runs, `partner.me` 2,683–2,775 and
 * `oauth.code_exchange` 490–493. The servers are left free: pinning them to the other CPU too
 * steadied "hello" further but put Parley's fsync and crypto threads on its one CPU, which cut
 * `oauth.code_exchange` from 490 to 330 req/s with the server at 59% of its CPU.
 */
let isPinning = false;

/** Pins load generators from now on if this machine can; says whether it does. */
export function enableCpuPinning(): boolean {
  isPinning = availableParallelism() >= 2 && spawnSync('taskset', ['--version']).status === 0;
  return isPinning;
}

/** Node's arguments for running a TypeScript file of this repository (workspace packages from source). */
export const TS_NODE_ARGS = ['--import', 'tsx', '--conditions=parley-source'];

export function spawnNode(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; ipc?: boolean; label: string; isLoad?: boolean },
): Child {
  const cpu = isPinning && options.isLoad ? String(availableParallelism() - 1) : null;
  const [command, commandArgs] = cpu
    ? ['taskset', ['--cpu-list', cpu, process.execPath, ...args]]
    : [process.execPath, [...args]];
  const child = spawn(command, commandArgs, {
    cwd: REPO_ROOT,
    env: options.env ?? process.env,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${options.label}`);
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const gone = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    pid: child.pid,
    process: child,
    output: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await gone;
        clearTimeout(timer);
      }
    },
  };
}

/** Polls `url` until it answers 200, or throws with what the process printed. */
export async function waitUntilReady(child: Child, url: string, label: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let problem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${label} exited before it was ready:\n${child.output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) return;
      problem = `${url} answered ${response.status}`;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    await sleep(100);
  }
  await child.stop();
  throw new Error(
    `${label} was not ready within ${READY_TIMEOUT_MS / 1000} s (${problem}):\n${child.output()}`,
  );
}

export interface ParleyServer extends Child {
  readonly url: string;
  readonly dataDir: string;
}

/**
 * The built server as `npm start` runs it (`node server/dist/main.js`): SQLite in a throwaway
 * data dir (WAL, every commit durable before its answer), the in-process bus, on 127.0.0.1. The partner rate limit
 * is raised unless the caller says otherwise, or the partner benchmarks would measure 429s.
 */
export async function startParley(
  options: { isDemo?: boolean; env?: Record<string, string>; nodeArgs?: readonly string[] } = {},
): Promise<ParleyServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    PARLEY_DATA_DIR: dataDir,
    PARLEY_DEMO: options.isDemo ? '1' : '0',
    PARLEY_PARTNER_RATE_LIMIT: '1000000',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  const child = spawnNode([...(options.nodeArgs ?? []), 'server/dist/main.js'], {
    env,
    label: 'the server',
  });
  try {
    await waitUntilReady(child, `${url}/readyz`, 'the server');
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...child,
    url,
    dataDir,
    async stop() {
      await child.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A baseline server of bench/servers/ on a free port; it reads PORT and answers GET /ready. */
export async function startBaselineServer(file: string, label: string): Promise<Child & { url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnNode([...TS_NODE_ARGS, path.join(BENCH_DIR, file)], {
    env: { ...process.env, PORT: String(port) },
    label,
  });
  await waitUntilReady(child, `${url}/ready`, label);
  return { ...child, url };
}

/**
 * Runs a worker of bench/workers/ to completion: it gets its input as a JSON file and writes its
 * result as another (argv: input, output), so nothing it prints can be mistaken for the result.
 */
export async function runWorker<T>(
  file: string,
  input: unknown,
  options: { label: string; isLoad?: boolean },
): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-bench-worker-'));
  try {
    const inputFile = path.join(dir, 'input.json');
    const outputFile = path.join(dir, 'output.json');
    await writeFile(inputFile, JSON.stringify(input));
    const child = spawnNode([...TS_NODE_ARGS, path.join(BENCH_DIR, file), inputFile, outputFile], {
      label: options.label,
      ...(options.isLoad ? { isLoad: true } : {}),
    });
    const code = await new Promise<number | null>((resolve) => {
      if (child.process.exitCode !== null) resolve(child.process.exitCode);
      else child.process.once('exit', (c) => resolve(c));
    });
    if (code !== 0) throw new Error(`${options.label} failed (exit ${code}):\n${child.output()}`);
    return JSON.parse(await readFile(outputFile, 'utf8')) as T;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A worker's side of runWorker: reads the input, runs, writes the result. */
export async function workerMain<I, O>(run: (input: I) => Promise<O>): Promise<void> {
  const [inputFile, outputFile] = process.argv.slice(2);
  if (!inputFile || !outputFile) throw new Error('usage: <worker> input.json output.json');
  const input = JSON.parse(await readFile(inputFile, 'utf8')) as I;
  const output = await run(input);
  await writeFile(outputFile, JSON.stringify(output));
}
