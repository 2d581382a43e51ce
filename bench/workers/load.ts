// The load generator, in its own process: autocannon against one URL for a duration, or for
// exactly as many requests as there are bodies (each body sent once: authorization codes).
import autocannon from 'autocannon';
import { workerMain } from '../lib/proc.js';
import type { LoadResult, LoadSpec } from '../lib/load.js';

await workerMain<LoadSpec, LoadResult>(async (spec) => {
  const bodies = spec.bodies;
  let next = 0;
  // For a fixed number of requests, autocannon reports its duration only at the next of its
  // one-second ticks after the last answer: 1,000 exchanges done in 1.7 s read as 2.03 s. The
  // window is timed here instead, from the first request to the last answer.
  let firstRequestAt = 0;
  let lastAnswerAt = 0;
  const instance = autocannon({
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
              setupRequest: (request: autocannon.Request) => {
                if (next === 0) firstRequestAt = performance.now();
                return { ...request, body: bodies[Math.min(next++, bodies.length - 1)] };
              },
            },
          ],
        }
      : { duration: spec.seconds }),
  });
  if (bodies) instance.on('response', () => (lastAnswerAt = performance.now()));
  const result = await instance;
  const seconds = bodies ? (lastAnswerAt - firstRequestAt) / 1000 : result.duration;
  const ok = result.requests.total - result.non2xx;
  const statuses: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[status] = Number(count);
  }
  return {
    perSecond: ok / seconds,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    statuses,
  };
});
