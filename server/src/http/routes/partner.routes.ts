import { Permissions, PartnerMe, problems } from '../schemas.js';
import type { App, Services } from '../types.js';
import { appActorOf } from '../types.js';

export function partnerRoutes(app: App, services: Services): void {
  const tags = ['partner API'];
  const security = [{ bearer: [] }];

  app.get(
    '/v1/me',
    {
      config: { action: 'profile.read', auth: 'bearer' },
      schema: {
        tags,
        security,
        summary: 'The person the token acts for (openid: id; profile: username and display name)',
        response: { 200: PartnerMe, ...problems(401, 403, 429) },
      },
    },
    async (request) => services.partner.me(appActorOf(request)),
  );

  app.get(
    '/v1/me/permissions',
    {
      config: { action: 'grant.read', auth: 'bearer' },
      schema: {
        tags,
        security,
        summary:
          'Exactly what this token can do, in plain language, with the chosen conversations and expiry',
        response: { 200: Permissions, ...problems(401, 403, 429) },
      },
    },
    async (request) => services.partner.permissions(appActorOf(request)),
  );
}
