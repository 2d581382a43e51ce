// Runs the load generator (bench/workers/load.ts, autocannon) in its own process.
import { runWorker } from './proc.js';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** How long to run (ignored when `bodies` is given). */
  seconds: number;
  /** One request per body, each sent once, then stop. */
  bodies?: string[];
}

export interface LoadResult {
  /** Successful (2xx) responses a second. */
  perSecond: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  statuses: Record<string, number>;
}

/** Connections of every HTTP benchmark: enough to keep one server process busy on 2 cores. */
export const CONNECTIONS = 16;

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return runWorker<LoadResult>('workers/load.ts', spec, {
    label: `the load generator (${spec.url})`,
    isLoad: true,
  });
}

/** An unmeasured run of the same requests first: the JIT, the caches, the connections. */
export async function warmUp(spec: LoadSpec, seconds: number, name: string): Promise<LoadResult | null> {
  if (seconds <= 0 || spec.bodies) return null;
  return checked(await runLoad({ ...spec, seconds }), `${name} (warm-up)`);
}

/** A measured run. Fails on any unsuccessful answer: a 429 or a 500 would measure the wrong thing. */
export async function measureLoad(spec: LoadSpec, name: string): Promise<LoadResult> {
  return checked(await runLoad(spec), name);
}

function checked(result: LoadResult, name: string): LoadResult {
  const total = result.ok + result.non2xx;
  if (total === 0 || result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${name}: ${result.ok} successful, ${result.non2xx} unsuccessful (${JSON.stringify(result.statuses)}), ${result.errors} errors`,
    );
  }
  return result;
}
