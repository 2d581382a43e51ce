// The results: one row per benchmark with its baseline from the same run, the goal each row is
// held to (issue 6), the table printed at the end and the JSON written with --json.

export interface Result {
  name: string;
  /** null: the benchmark could not run (a harness error, said in `error`). */
  value: number | null;
  unit: string;
  baseline: { name: string; value: number } | null;
  ratio: number | null;
}

export interface Row extends Result {
  /** How it was measured, in a few words (sizes, connections, server CPU). */
  detail: string;
  error?: string;
}

export interface Goal {
  /** What the goal applies to: the ratio to the baseline, or the value itself. */
  readonly of: 'ratio' | 'value';
  readonly atLeast?: number;
  readonly atMost?: number;
}

/** Every row, in the issue's order, with its goal (none for the ceiling). */
export const BENCHMARKS: readonly { name: string; unit: string; goal: Goal | null }[] = [
  { name: 'http.hello', unit: 'req/s', goal: null },
  { name: 'partner.send', unit: 'req/s', goal: { of: 'ratio', atLeast: 0.3 } },
  { name: 'partner.read', unit: 'req/s', goal: { of: 'ratio', atLeast: 0.4 } },
  { name: 'partner.me', unit: 'req/s', goal: { of: 'ratio', atLeast: 0.6 } },
  { name: 'web.send', unit: 'req/s', goal: { of: 'ratio', atLeast: 0.4 } },
  { name: 'oauth.code_exchange', unit: 'req/s', goal: { of: 'ratio', atLeast: 0.5 } },
  { name: 'policy.authorize', unit: 'decisions/s', goal: { of: 'ratio', atLeast: 100 } },
  { name: 'policy.authorize_vs_casl', unit: 'decisions/s', goal: { of: 'ratio', atLeast: 2 } },
  { name: 'tlog.append', unit: 'entries/s', goal: { of: 'ratio', atLeast: 0.5 } },
  { name: 'tlog.proof', unit: 'proofs/s', goal: { of: 'ratio', atLeast: 0.5 } },
  { name: 'realtime.fanout', unit: 'messages/s', goal: { of: 'ratio', atLeast: 0.5 } },
  { name: 'memory.ws_client', unit: 'bytes', goal: { of: 'value', atMost: 20_000 } },
  { name: 'memory.idle', unit: 'bytes', goal: { of: 'value', atMost: 150_000_000 } },
];

export function row(
  name: string,
  value: number,
  baseline: { name: string; value: number } | null,
  detail: string,
): Row {
  const unit = BENCHMARKS.find((b) => b.name === name)?.unit;
  if (!unit) throw new Error(`unknown benchmark ${name}`);
  return {
    name,
    value,
    unit,
    baseline,
    ratio: baseline && baseline.value > 0 ? value / baseline.value : null,
    detail,
  };
}

export function failedRow(name: string, error: unknown): Row {
  const unit = BENCHMARKS.find((b) => b.name === name)?.unit ?? '';
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { name, value: null, unit, baseline: null, ratio: null, detail: '', error: message };
}

export type Verdict = 'met' | 'MISSED' | '—' | 'error';

export function verdictOf(r: Row): Verdict {
  if (r.value === null) return 'error';
  const goal = BENCHMARKS.find((b) => b.name === r.name)?.goal;
  if (!goal) return '—';
  const x = goal.of === 'ratio' ? r.ratio : r.value;
  if (x === null) return 'error';
  const ok =
    (goal.atLeast === undefined || x >= goal.atLeast) && (goal.atMost === undefined || x <= goal.atMost);
  return ok ? 'met' : 'MISSED';
}

export function goalText(name: string): string {
  const goal = BENCHMARKS.find((b) => b.name === name)?.goal;
  if (!goal) return '—';
  const bound =
    goal.atLeast !== undefined ? `≥ ${formatNumber(goal.atLeast)}` : `≤ ${formatNumber(goal.atMost ?? 0)}`;
  return `${goal.of} ${bound}`;
}

/** Three significant digits, with thousands separators for large values. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  if (abs >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

/** The table, as Markdown (it reads in a terminal and pastes into bench/README.md). */
export function table(rows: readonly Row[]): string {
  const header = ['benchmark', 'value', 'unit', 'baseline', 'baseline value', 'ratio', 'goal', 'verdict'];
  const lines = rows.map((r) => [
    `\`${r.name}\``,
    r.value === null ? 'error' : formatNumber(r.value),
    r.unit,
    r.baseline ? `\`${r.baseline.name}\`` : '—',
    r.baseline ? formatNumber(r.baseline.value) : '—',
    r.ratio === null ? '—' : formatNumber(r.ratio),
    goalText(r.name),
    verdictOf(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 || i === 2 || i === 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 || i === 2 || i === 3 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`;
  return [format(header), rule, ...lines.map(format)].join('\n');
}

/** The JSON of --json: exactly the issue's fields per result, in the issue's order. */
export function json(rows: readonly Row[], meta: Record<string, unknown>): string {
  const results: Result[] = rows.map(({ name, value, unit, baseline, ratio }) => ({
    name,
    value,
    unit,
    baseline,
    ratio,
  }));
  return `${JSON.stringify({ results, ...meta }, null, 2)}\n`;
}
