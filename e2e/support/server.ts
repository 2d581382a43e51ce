// Builds the app once per test run and runs the real server (`node server/dist/main.js`) on a
// free port with a throwaway SQLite data dir (or a PostgreSQL database the caller made), the way
// `npm start` would.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isMainThread } from 'node:worker_threads';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

const BUILD_OUTPUTS = [
  'server/dist/main.js',
  'web/dist/index.html',
  'examples/tunes/dist/main.js',
  'examples/flicks/dist/main.js',
];
/** Which test run built last (see `thisRun`). */
const BUILD_STAMP = path.join(REPO_ROOT, '.test-results', 'e2e-build.json');

/**
 * The Vitest run this worker belongs to: the main Vitest process (the parent of a forked
 * worker, or this very process in a worker thread) with its start time, so a reused pid is
 * not mistaken for the same run. Null where that cannot be read (no /proc): always build.
 */
function thisRun(): string | null {
  const pid = isMainThread ? process.ppid : process.pid;
  try {
    // Field 22 of /proc/<pid>/stat is the start time; the command name (field 2) may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return startTime ? `${pid}@${startTime}` : null;
  } catch {
    return null;
  }
}

/**
 * `npm run build` from the repo root, once per test run: every e2e file calls this, and the
 * files after the first reuse that build (each file runs in its own worker, so the run is
 * recognised by a stamp, not by module state). `force` builds regardless.
 */
export async function buildApp(options: { force?: boolean } = {}): Promise<void> {
  const run = thisRun();
  if (!options.force && run !== null && BUILD_OUTPUTS.every((o) => existsSync(path.join(REPO_ROOT, o)))) {
    const stamp = await readFile(BUILD_STAMP, 'utf8').catch(() => '');
    if (stamp.trim() === JSON.stringify({ run })) return;
  }
  await rm(BUILD_STAMP, { force: true });
  await buildNow();
  if (run !== null) {
    await mkdir(path.dirname(BUILD_STAMP), { recursive: true });
    await writeFile(BUILD_STAMP, `${JSON.stringify({ run })}\n`);
  }
}

/** `npm run build` from the repo root; throws with the build's output when it fails. */
async function buildNow(): Promise<void> {
  try {
    await promisify(execFile)('npm', ['run', 'build'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 110_000,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `npm run build failed: ${e.message}\n--- stdout ---\n${e.stdout ?? ''}\n--- stderr ---\n${e.stderr ?? ''}`,
      { cause: error },
    );
  }
  for (const output of BUILD_OUTPUTS) {
    if (!existsSync(path.join(REPO_ROOT, output))) {
      throw new Error(
        `npm run build succeeded but ${output} is missing` +
          (output.startsWith('server/')
            ? ' (a server/tsconfig.tsbuildinfo left over from an earlier build makes `tsc -b` skip files: delete it and build again)'
            : ''),
      );
    }
  }
}

/** A port that was free a moment ago: listen on 0, read it, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('could not read the probe port'));
        return;
      }
      probe.close(() => resolve(address.port));
    });
  });
}

export interface RunningServer {
  readonly url: string;
  /** The server process's pid. */
  readonly pid: number;
  /** The SQLite data dir (PARLEY_DATA_DIR). */
  readonly dataDir: string;
  /** What the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
  /**
   * `process.kill(pid, 'SIGKILL')`, as a crash would: no shutdown at all. Resolves when the
   * process is gone; leaves the data dir alone (start again on it with `dataDir` and `port`).
   */
  crash(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export interface ServerOptions {
  /**
   * `postgres://…`: the server uses that (existing, empty) database instead of SQLite. The
   * caller creates and drops it; the data dir is still a throwaway one.
   */
  databaseUrl?: string;
  /**
   * A data dir the caller made and owns (kept by `stop`, `crash` and a failed start): to start
   * the server again on the same data. Default: a throwaway one, removed by `stop`.
   */
  dataDir?: string;
  /** The port to listen on (e.g. the same one again after a restart). Default: a free one. */
  port?: number;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'parley-e2e-')));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    PARLEY_DATA_DIR: dataDir,
    PARLEY_DEMO: '0',
    LOG_LEVEL: 'warn',
  };
  // SQLite in the temp dir (unless asked for a database) and the in-process bus, whatever the
  // caller's shell says.
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;

  const child = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const done = exited(child);
  let isStopping = false;
  child.once('exit', (code, signal) => {
    // Said in the output, so a failure report shows that the server died mid-test and how.
    const who = isStopping ? 'stopped by the test' : 'NOT stopped by the test';
    log += `\n[e2e] server pid ${child.pid} exited at ${new Date().toISOString()} with ${signal ?? `code ${code}`} (${who})\n`;
  });

  const stop = async () => {
    isStopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await done;
      clearTimeout(timer);
    }
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
  };
  const crash = async () => {
    isStopping = true;
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGKILL');
    }
    await done;
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(
        `the server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log}`,
      );
    }
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) {
        return { url, pid: child.pid!, dataDir, output: () => log, stop, crash };
      }
      lastProblem = `GET /readyz answered ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`the server was not ready within ${READY_TIMEOUT_MS / 1000} s (${lastProblem}):\n${log}`);
}
