// RFC 6750 bearer tokens for the partner API: the token becomes an app actor, or the request
// stops with 401 and a WWW-Authenticate challenge. Then the rate limits (per app, and per app
// acting for one person), and, after a successful answer, the app's usage by action.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import type { BucketRule, RateLimiter } from '../../lib/rate-limiter.js';
import type { AppActor, PartnerAuthService } from '../../services/partner-auth.service.js';

/** Per app and person: bursts of 60, 5 requests a second sustained. */
export const PER_PERSON: BucketRule = { capacity: 60, refillPerSecond: 5 };
/** Per app, all people together: bursts of 600, 50 a second sustained. */
export const PER_APP: BucketRule = { capacity: 600, refillPerSecond: 50 };

export function registerBearer(
  app: FastifyInstance,
  deps: {
    partnerAuth: PartnerAuthService;
    limiter: RateLimiter;
    recordUsage(actor: AppActor, action: string): Promise<void>;
  },
): void {
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
      { key: `app:${actor.clientId}`, rule: PER_APP },
      { key: `app:${actor.clientId}:${actor.userId}`, rule: PER_PERSON },
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
    await deps.recordUsage(request.app, action);
  });
}
