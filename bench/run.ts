// npm run bench [-- --quick] [--json FILE] [--only NAME,…] [--cpu-prof DIR] [--no-build] [--no-pin]
//
// Runs every benchmark of issue 6 with its baseline in the same run, prints the table, and with
// --json writes {"results": [{name, value, unit, baseline: {name, value} | null, ratio}]}. A missed
// goal is reported, not fatal: the exit code is non-zero only when a benchmark could not run.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { FULL, QUICK, type Context } from './lib/context.js';
import { enableCpuPinning, REPO_ROOT } from './lib/proc.js';
import { BENCHMARKS, failedRow, json, table, verdictOf, type Row } from './lib/report.js';
import { httpSuite } from './suites/http.js';
import { memorySuite } from './suites/memory.js';
import { oauthSuite } from './suites/oauth.js';
import { policySuite } from './suites/policy.js';
import { fanoutSuite, wsMemorySuite } from './suites/realtime.js';
import { tlogSuite } from './suites/tlog.js';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    only: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (options.help) {
  console.log(`npm run bench -- [--quick] [--json FILE] [--only NAME,…] [--cpu-prof DIR] [--no-build] [--no-pin]

  --quick       shorter runs (under 5 minutes on 2 cores); the sizes the goals name are kept
  --json FILE   write the results as JSON
  --only …      run only these benchmarks (names or prefixes: partner, tlog.proof, memory)
  --cpu-prof D  run the Parley server under node --cpu-prof, profiles in D (see profile-summary.ts)
  --no-build    use server/dist and web/dist as they are (default: build tlog, server and web first)
  --no-pin      let the scheduler place the load generators too (default: on the last CPU)`);
  process.exit(0);
}

const isPinned = !options['no-pin'] && enableCpuPinning();
const only = options.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const profileDir = options['cpu-prof'] ? path.resolve(options['cpu-prof']) : null;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

const ctx: Context = {
  isQuick: options.quick,
  sizes: options.quick ? QUICK : FULL,
  serverNodeArgs: (label) =>
    profileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${label}-${Date.now()}.cpuprofile`]
      : [],
  wants: (name) => !only || only.some((o) => name === o || name.startsWith(`${o}.`)),
  log: (message) => console.error(`[bench ${elapsed()}] ${message}`),
};

const unknown = only?.filter((o) => !BENCHMARKS.some((b) => b.name === o || b.name.startsWith(`${o}.`)));
if (unknown?.length) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}

if (!options['no-build']) {
  ctx.log('building tlog, server and web (npm run build -w …; --no-build skips this)');
  for (const workspace of ['tlog', 'server', 'web']) {
    try {
      await promisify(execFile)('npm', ['run', 'build', '-w', workspace], {
        cwd: REPO_ROOT,
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      console.error(`npm run build -w ${workspace} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      process.exit(1);
    }
  }
}

const SUITES: { names: string[]; run: (ctx: Context) => Promise<Row[]> }[] = [
  { names: ['http.hello', 'partner.send', 'partner.read', 'partner.me', 'web.send'], run: httpSuite },
  { names: ['oauth.code_exchange'], run: oauthSuite },
  { names: ['policy.authorize', 'policy.authorize_vs_casl'], run: policySuite },
  { names: ['tlog.append', 'tlog.proof'], run: tlogSuite },
  { names: ['realtime.fanout'], run: fanoutSuite },
  { names: ['memory.ws_client'], run: wsMemorySuite },
  { names: ['memory.idle'], run: memorySuite },
];

const rows: Row[] = [];
for (const suite of SUITES) {
  const wanted = suite.names.filter((n) => ctx.wants(n));
  if (wanted.length === 0) continue;
  try {
    rows.push(...(await suite.run(ctx)));
  } catch (error) {
    ctx.log(`${wanted.join(', ')} could not run: ${error instanceof Error ? error.message : String(error)}`);
    rows.push(...wanted.map((name) => failedRow(name, error)));
  }
}
rows.sort(
  (a, b) => BENCHMARKS.findIndex((x) => x.name === a.name) - BENCHMARKS.findIndex((x) => x.name === b.name),
);

const seconds = (performance.now() - started) / 1000;
console.log(`\n${table(rows)}\n`);
for (const r of rows) if (r.detail) console.log(`- ${r.name}: ${r.detail}`);
const errors = rows.filter((r) => r.error);
for (const r of errors) console.log(`\n${r.name} could not run:\n${r.error}`);
const missed = rows.filter((r) => verdictOf(r) === 'MISSED').map((r) => r.name);
console.log(
  `\n${options.quick ? 'quick' : 'full'} run: ${seconds.toFixed(0)} s on ${os.cpus().length} cores` +
    `${isPinned ? ' (load generators pinned to the last one)' : ''}, Node ${process.version}; ` +
    `${rows.length - errors.length} of ${rows.length} ran; goals missed: ${missed.length ? missed.join(', ') : 'none'}`,
);

if (options.json) {
  writeFileSync(
    path.resolve(options.json),
    json(rows, {
      mode: options.quick ? 'quick' : 'full',
      seconds: Math.round(seconds),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', node: process.version, isPinned },
      goals: Object.fromEntries(rows.map((r) => [r.name, verdictOf(r)])),
      details: Object.fromEntries(
        rows.map((r) => [r.name, r.error ? `error: ${r.error.split('\n')[0]}` : r.detail]),
      ),
    }),
  );
}
process.exitCode = errors.length > 0 ? 1 : 0;
