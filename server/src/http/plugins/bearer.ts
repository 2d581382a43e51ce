// RFC 6750 bearer tokens for the partner API: the token becomes an app actor, or the request
// stops with 401 and a WWW-Authenticate challenge. Then the rate limits (per app, and per app
// acting for one person), and, after a successful answer, the app's usage by action.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import type { BucketRule, RateLimiter } from '../../lib/rate-limiter.js';
import type { AppActor, PartnerAuthService } from '../../services/partner-auth.service.js';

/**
 * The limits for `perSecond` requests a second per app and person (PARLEY_PARTNER_RATE_LIMIT):
 * bursts of 12 seconds' worth; the app as a whole, all people together, 10× that.
 */
export function partnerRateRules(perSecond: number): { perPerson: BucketRule; perApp: BucketRule } {
  return {
    perPerson: { capacity: 12 * perSecond, refillPerSecond: perSecond },
    perApp: { capacity: 120 * perSecond, refillPerSecond: 10 * perSecond },
  };
}

/** The defaults (5 a second): per app and person, bursts of 60, 5 requests a second sustained. */
export const PER_PERSON: BucketRule = partnerRateRules(5).perPerson;
/** Per app, all people together: bursts of 600, 50 a second sustained. */
export const PER_APP: BucketRule = partnerRateRules(5).perApp;

export function registerBearer(
  app: FastifyInstance,
  deps: {
    partnerAuth: PartnerAuthService;
    limiter: RateLimiter;
    /** Default: PER_PERSON and PER_APP. */
    rules?: { perPerson: BucketRule; perApp: BucketRule };
    recordUsage(actor: AppActor, action: string): void;
  },
): void {
  const { perPerson, perApp } = deps.rules ?? { perPerson: PER_PERSON, perApp: PER_APP };
  app.decorateRequest('app', null);
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.config.auth !== 'bearer') return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(header);
    if (!match?.[1]) {
      throw new AppError('invalid_token', 'Send the access token as "Authorization: Bearer <token>".', {
        'www-authenticate': 'Bearer realm="parley"',
      });
    }
    const actor = await deps.partnerAuth.actorForToken(match[1]);
    const wait = deps.limiter.take([
      { key: `app:${actor.clientId}`, rule: perApp },
      { key: `app:${actor.clientId}:${actor.userId}`, rule: perPerson },
    ]);
    if (wait > 0) {
      throw new AppError('rate_limited', `Slow down: try again in ${wait} s.`, {
        'retry-after': String(wait),
      });
    }
    request.app = actor;
  });
  app.addHook('onResponse', async (request, reply) => {
    const { auth, action } = request.routeOptions.config;
    if (auth !== 'bearer' || !request.app || !action || reply.statusCode >= 400) return;
    deps.recordUsage(request.app, action);
  });
}
