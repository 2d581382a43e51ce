// The consent screen's endpoints. They live under /consent/:uid/ because oidc-provider scopes
// its interaction cookie to that path (the web page is /consent/:uid itself).
import { SESSION_COOKIE } from '../route-config.js';
import { ConsentBody, ConsentDetails, InteractionParams, problems, RedirectTo } from '../schemas.js';
import { actorOf, type App, type Services } from '../types.js';

export function consentRoutes(app: App, services: Services): void {
  const tags = ['consent'];

  app.get(
    '/consent/:uid/details',
    {
      // Open to anyone holding the interaction cookie; the person, if logged in, is read here
      // and their own conversations are listed through `authorize` in the service.
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'What an app asks for, for the consent screen',
        params: InteractionParams,
        response: { 200: ConsentDetails, ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      const person = token ? await services.auth.personForToken(token) : null;
      return services.consent.details(
        { req: request.raw, res: reply.raw },
        person ? { id: person.id, username: person.username, displayName: person.displayName } : null,
      );
    },
  );

  app.post(
    '/consent/:uid/confirm',
    {
      config: { action: 'apps.manage' },
      schema: {
        tags,
        summary: 'Allow: grant the ticked scopes (and conversations)',
        params: InteractionParams,
        body: ConsentBody,
        response: { 200: RedirectTo, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      services.consent.confirm({ req: request.raw, res: reply.raw }, actorOf(request), request.body),
  );

  app.post(
    '/consent/:uid/continue',
    {
      config: { action: 'apps.manage' },
      schema: {
        tags,
        summary: 'Sign in to an app my current grant already covers (no new consent)',
        params: InteractionParams,
        response: { 200: RedirectTo, ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      services.consent.continueConnected({ req: request.raw, res: reply.raw }, actorOf(request)),
  );

  app.post(
    '/consent/:uid/deny',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'Cancel: the app gets access_denied',
        params: InteractionParams,
        response: { 200: RedirectTo, ...problems(400, 403, 404) },
      },
    },
    async (request, reply) => services.consent.deny({ req: request.raw, res: reply.raw }),
  );
}
