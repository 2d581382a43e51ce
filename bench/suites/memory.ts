// memory.idle: the RSS of the server as `npm start` runs it with the demo data (PARLEY_DEMO=1,
// a fresh data dir: alice, bob, carol and their conversations), once it has settled.
import type { Context } from '../lib/context.js';
import { rssOf, sleep, startParley } from '../lib/proc.js';
import { formatNumber, row, type Row } from '../lib/report.js';

export async function memorySuite(ctx: Context): Promise<Row[]> {
  const { sizes } = ctx;
  ctx.log(`memory: idle server with the demo data, settling ${sizes.idleSettleSeconds} s`);
  const parley = await startParley({
    isDemo: true,
    env: { PARLEY_PARTNER_RATE_LIMIT: '5' },
    nodeArgs: ctx.serverNodeArgs('idle'),
  });
  try {
    // The web app is part of `npm start`: one page load, as a first visitor's.
    const page = await fetch(`${parley.url}/`);
    await page.body?.cancel();
    await sleep(sizes.idleSettleSeconds * 1000);
    const rss = rssOf(parley.pid);
    return [
      row(
        'memory.idle',
        rss,
        null,
        `VmRSS of node server/dist/main.js ${sizes.idleSettleSeconds} s after start with PARLEY_DEMO=1 (${formatNumber(rss / 1e6)} MB)`,
      ),
    ];
  } finally {
    await parley.stop();
  }
}
