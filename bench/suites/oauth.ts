// oauth.code_exchange: authorization codes (PKCE S256, client_secret_basic) exchanged at the
// platform's token endpoint, each once, from the load generator's process; against
// client_credentials on a bare oidc-provider with its in-memory store. The codes are made first
// by walking authorization requests as the person's browser does (the first through the consent
// screen, the rest straight back, as a returning person's), and live 60 s: they are used at once.
import { BARE_CLIENT } from '../lib/baselines.js';
import type { Context } from '../lib/context.js';
import { CONNECTIONS, measureLoad, warmUp, type LoadSpec } from '../lib/load.js';
import { basicAuth, browserFor, codeExchangeBody, registerApp, signUp, type Code } from '../lib/parley.js';
import { cpuSecondsOf, startBaselineServer, startParley } from '../lib/proc.js';
import { formatNumber, row, type Row } from '../lib/report.js';

/** What partner apps ask for: an ID token too (openid), as the demo apps do. */
const SCOPES = ['openid', 'profile', 'messages.send', 'messages.read'];
const CODE_WALKERS = 8;

export async function oauthSuite(ctx: Context): Promise<Row[]> {
  const { sizes } = ctx;
  const bare = await startBaselineServer('servers/bare-oidc.ts', 'the bare oidc-provider');
  const parley = await startParley({ nodeArgs: ctx.serverNodeArgs('oauth') });
  try {
    const person = await signUp(parley.url, 'olga');
    const app = await registerApp(parley.url, person, SCOPES);
    const browser = browserFor(parley.url, person, app, SCOPES);
    await browser.code(); // the consent screen, once
    const makeCodes = async (count: number): Promise<Code[]> => {
      const codes: Code[] = [];
      await Promise.all(
        Array.from({ length: CODE_WALKERS }, async () => {
          while (codes.length < count) {
            codes.push(await browser.code());
          }
        }),
      );
      return codes.slice(0, count);
    };
    const exchange = (codes: Code[]): LoadSpec => ({
      url: `${parley.url}/oauth/token`,
      method: 'POST',
      headers: { authorization: basicAuth(app), 'content-type': 'application/x-www-form-urlencoded' },
      bodies: codes.map(codeExchangeBody),
      connections: CONNECTIONS,
      seconds: 0,
    });
    const baselineSpec: LoadSpec = {
      url: `${bare.url}/token`,
      method: 'POST',
      headers: {
        authorization: basicAuth({ clientId: BARE_CLIENT.id, clientSecret: BARE_CLIENT.secret }),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
      connections: CONNECTIONS,
      seconds: sizes.httpSeconds,
    };

    ctx.log(`oauth: walking ${sizes.codes.toLocaleString('en-US')} authorization requests for codes`);
    const warmCodes = await makeCodes(Math.ceil(sizes.codes / 5));
    await measureLoad(exchange(warmCodes), 'oauth.code_exchange (warm-up)');
    const t0 = performance.now();
    const codes = await makeCodes(sizes.codes);
    const codeSeconds = (performance.now() - t0) / 1000;
    ctx.log('oauth: code exchange, then client_credentials on the bare provider');
    const cpu0 = cpuSecondsOf(parley.pid);
    const t1 = performance.now();
    const measured = await measureLoad(exchange(codes), 'oauth.code_exchange');
    const busy = (cpuSecondsOf(parley.pid) - cpu0) / ((performance.now() - t1) / 1000);
    await warmUp(baselineSpec, sizes.warmupSeconds, 'oauth.client_credentials');
    const baseline = await measureLoad(baselineSpec, 'oauth.client_credentials');
    return [
      row(
        'oauth.code_exchange',
        measured.perSecond,
        { name: 'oauth.client_credentials', value: baseline.perSecond },
        `${codes.length.toLocaleString('en-US')} codes (made at ${formatNumber(codes.length / codeSeconds)}/s), each exchanged once, scope "${SCOPES.join(' ')}" (an ID token too); ${CONNECTIONS} connections; p99 ${formatNumber(measured.latencyP99Ms)} ms; server CPU ${Math.round(busy * 100)}% of a core`,
      ),
    ];
  } finally {
    await Promise.all([bare.stop(), parley.stop()]);
  }
}
