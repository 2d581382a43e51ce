// The load generator, in its own process: autocannon against one URL for a duration, or for
// exactly as many requests as there are bodies (each body sent once: authorization codes).
import autocannon from 'autocannon';
import { workerMain } from '../lib/proc.js';
import type { LoadResult, LoadSpec } from '../lib/load.js';

await workerMain<LoadSpec, LoadResult>(async (spec) => {
  const bodies = spec.bodies;
  let next = 0;
  const result = await autocannon({
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers ?? {},
    connections: spec.connections,
    pipelining: 1,
    timeout: 10,
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    ...(bodies
      ? {
          amount: bodies.length,
          requests: [
            {
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                body: bodies[Math.min(next++, bodies.length - 1)],
              }),
            },
          ],
        }
      : { duration: spec.seconds }),
  });
  const ok = result.requests.total - result.non2xx;
  const statuses: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[status] = Number(count);
  }
  return {
    perSecond: ok / result.duration,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    statuses,
  };
});
