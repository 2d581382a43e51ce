// The whole demo as `npm start` runs it after its build: `node scripts/start.mjs` — Parley on
// PORT, Tunes on PORT+1, Flicks on PORT+2, demo people, and bob already connected to Tunes —
// on three free ports and a throwaway data dir.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './server.js';

const READY_TIMEOUT_MS = 60_000;

export interface RunningDemo {
  readonly parleyUrl: string;
  readonly tunesUrl: string;
  readonly flicksUrl: string;
  output(): string;
  stop(): Promise<void>;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A base port P with P, P+1 and P+2 free a moment ago. */
async function freeRun(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await isFree(base)) && (await isFree(base + 1)) && (await isFree(base + 2))) return base;
  }
  throw new Error('no three consecutive free ports');
}

export async function startDemo(): Promise<RunningDemo> {
  const port = await freeRun();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-demo-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PARLEY_DATA_DIR: dataDir,
    PARLEY_DEMO: '1',
    LOG_LEVEL: 'warn',
  };
  // What a newcomer gets: PUBLIC_URL from the port (http://localhost:PORT), SQLite, in-process bus.
  delete env.PUBLIC_URL;
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-40_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  // Ready when the launcher has connected bob to Tunes (it does that last, once all three answer).
  const marker = path.join(dataDir, 'demo-bob-connected-tunes');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!existsSync(marker)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the demo did not start (exit ${child.exitCode}):\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    parleyUrl: `http://localhost:${port}`,
    tunesUrl: `http://localhost:${port + 1}`,
    flicksUrl: `http://localhost:${port + 2}`,
    output: () => log,
    stop,
  };
}
