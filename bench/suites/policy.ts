// policy.authorize and policy.authorize_vs_casl: decisions a second in-process (in the policy
// worker's own process), a world of 10,000 grants, the same queries for the three engines.
import type { Context } from '../lib/context.js';
import { runWorker } from '../lib/proc.js';
import { formatNumber, row, type Row } from '../lib/report.js';
import type { PolicyInput, PolicyOutput } from '../workers/policy.js';

export async function policySuite(ctx: Context): Promise<Row[]> {
  const { sizes } = ctx;
  ctx.log(`policy: authorize, casbin and CASL, ${sizes.policyGrants.toLocaleString('en-US')} grants`);
  const input: PolicyInput = { grants: sizes.policyGrants, queries: 10_000, seconds: sizes.policySeconds };
  const out = await runWorker<PolicyOutput>('workers/policy.ts', input, { label: 'the policy worker' });
  const detail = `${out.queries.toLocaleString('en-US')} queries (${Math.round((100 * out.allowed) / out.queries)}% allowed), all three engines agree on each; ${sizes.policySeconds} s each`;
  return [
    row(
      'policy.authorize',
      out.authorize,
      { name: 'casbin.enforce', value: out.casbin },
      `${detail}; casbin loads ${formatNumber(out.setupSeconds.casbin)} s of policy lines`,
    ),
    ctx.wants('policy.authorize_vs_casl')
      ? row('policy.authorize_vs_casl', out.authorize, { name: 'casl.can', value: out.casl }, detail)
      : null,
  ].filter((r): r is Row => r !== null && ctx.wants(r.name));
}
