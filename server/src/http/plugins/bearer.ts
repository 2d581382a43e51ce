// RFC 6750 bearer tokens for the partner API: the token becomes an app actor, or the request
// stops with 401 and a WWW-Authenticate challenge.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import type { PartnerAuthService } from '../../services/partner-auth.service.js';

export function registerBearer(app: FastifyInstance, partnerAuth: PartnerAuthService): void {
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
    request.app = await partnerAuth.actorForToken(match[1]);
  });
}
