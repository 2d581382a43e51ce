// Summarises a V8 CPU profile (node --cpu-prof; `npm run bench -- --only partner.send --cpu-prof DIR`):
// the functions with the most self time, the functions with the most total time (self plus what
// they called), and self time by where the code lives (the platform, each package, Node itself).
//
// Usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--top N] [--match TEXT] [--callers TEXT] [--skip SECONDS]
//   --match TEXT     total time only of frames whose name or file contains TEXT
//   --skip SECONDS   leave out the first SECONDS of the profile (start-up, set-up)
//   --callers TEXT   the call stacks (innermost first) that spent the most self time in frames
//                    containing TEXT: who calls the expensive thing
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './lib/proc.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    match: { type: 'string' },
    callers: { type: 'string' },
    skip: { type: 'string', default: '0' },
  },
});
const file = positionals[0];
if (!file) {
  console.error(
    'usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--top N] [--match TEXT] [--callers TEXT] [--skip SECONDS]',
  );
  process.exit(2);
}
const top = Number(values.top);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

/** Where the code lives: the platform's own files, a package, Node, or V8's pseudo-frames. */
function placeOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  if (url.startsWith('node:')) return 'node';
  const local = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(local)?.[1];
  if (pkg) return pkg;
  const relative = path.relative(REPO_ROOT, local);
  return relative.startsWith('..') ? local : relative.split('/').slice(0, 2).join('/');
}

function frameKey(f: CallFrame): string {
  const where = f.url
    ? `${f.url.replace(/^file:\/\//, '').replace(`${REPO_ROOT}/`, '')}:${f.lineNumber + 1}`
    : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
}

// Self time: each sample's delta goes to the node it hit. Total time: to every distinct frame on
// that node's stack (a recursive frame counts once).
const self = new Map<string, number>();
const stacks = new Map<string, number>();
const callers = values.callers;
const total = new Map<string, number>();
const places = new Map<string, number>();
let all = 0;
const skipMs = Number(values.skip) * 1000;
let at = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = (profile.timeDeltas[i] ?? 0) / 1000;
  at += dt;
  if (at < skipMs) continue;
  const node = byId.get(profile.samples[i]!);
  if (!node) continue;
  all += dt;
  const key = frameKey(node.callFrame);
  self.set(key, (self.get(key) ?? 0) + dt);
  const place = placeOf(node.callFrame.url, node.callFrame.functionName);
  places.set(place, (places.get(place) ?? 0) + dt);
  if (callers && key.includes(callers)) {
    const chain: string[] = [];
    for (let n: number | undefined = node.id; n !== undefined && chain.length < 8; n = parentOf.get(n)) {
      chain.push(frameKey(byId.get(n)!.callFrame));
    }
    const stack = chain.join('\n            ← ');
    stacks.set(stack, (stacks.get(stack) ?? 0) + dt);
  }
  const seen = new Set<string>();
  for (let n: number | undefined = node.id; n !== undefined; n = parentOf.get(n)) {
    const k = frameKey(byId.get(n)!.callFrame);
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + dt);
  }
}

const idle = self.get('(idle)') ?? 0;
const busy = all - idle;
const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
const ms = (x: number) => `${x.toFixed(0).padStart(7)} ms`;
const print = (title: string, entries: [string, number][]) => {
  console.log(`\n${title}`);
  for (const [k, v] of entries) console.log(`${ms(v)} ${pct(v)}  ${k}`);
};
const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);

console.log(
  `${path.basename(file)}: ${(all / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy (not idle); percentages are of busy time`,
);
print(
  'self time by function',
  sorted(self)
    .filter(([k]) => k !== '(idle)')
    .slice(0, top),
);
print(
  'self time by place',
  sorted(places)
    .filter(([k]) => k !== '(idle)')
    .slice(0, top),
);
const match = values.match;
print(
  match ? `total time of frames matching "${match}"` : 'total time by function (self and callees)',
  sorted(total)
    .filter(([k]) => k !== '(root)' && k !== '(idle)' && (!match || k.includes(match)))
    .slice(0, top),
);
if (callers) print(`stacks with self time in frames containing "${callers}"`, sorted(stacks).slice(0, 10));
