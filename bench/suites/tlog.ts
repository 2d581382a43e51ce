// tlog.append and tlog.proof, in the tlog worker's own process (see workers/tlog.ts).
import type { Context } from '../lib/context.js';
import { runWorker } from '../lib/proc.js';
import { formatNumber, row, type Row } from '../lib/report.js';
import type { TlogInput, TlogOutput } from '../workers/tlog.js';

export async function tlogSuite(ctx: Context): Promise<Row[]> {
  const { sizes } = ctx;
  ctx.log(`tlog: appends, and proofs at ${sizes.proofEntries.toLocaleString('en-US')} entries`);
  const input: TlogInput = {
    proofEntries: sizes.proofEntries,
    seconds: sizes.tlogSeconds,
    appenders: sizes.appenders,
  };
  const out = await runWorker<TlogOutput>('workers/tlog.ts', input, { label: 'the tlog worker' });
  return [
    row(
      'tlog.append',
      out.append.perSecond,
      { name: 'sqlite.raw_insert', value: out.rawInsert.perSecond },
      `${sizes.appenders} concurrent appenders through recordAlone (sharing transactions${out.append.fsyncs ? `; ${formatNumber(out.append.entries / out.append.fsyncs)} entries per fsync` : ''}) against raw inserts of the same rows, ${out.rawInsert.batch} entries a commit; raw with one commit per entry: ${formatNumber(out.rawInsertPerEntryCommit)}/s`,
    ),
    row(
      'tlog.proof',
      out.proofLarge.perSecond,
      { name: 'tlog.proof@1000', value: out.proofSmall.perSecond },
      `${out.proofLarge.entries.toLocaleString('en-US')} entries (built in bulk in ${out.buildSeconds} s) against 1,000`,
    ),
  ].filter((r) => ctx.wants(r.name));
}
