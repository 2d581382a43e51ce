import { Type } from 'typebox';
import { ClientIdParams, ConnectedApp, IdParams, NoContent, problems } from '../schemas.js';
import { actorOf, type App, type Services } from '../types.js';

export function appsRoutes(app: App, services: Services): void {
  const tags = ['apps & access'];

  app.get(
    '/api/apps',
    {
      config: { action: 'apps.manage' },
      schema: {
        tags,
        summary: 'Connected apps: their powers, chosen conversations, last use',
        response: { 200: Type.Object({ items: Type.Array(ConnectedApp) }), ...problems(401) },
      },
    },
    async (request) => ({ items: await services.apps.listConnected(actorOf(request)) }),
  );

  app.delete(
    '/api/apps/:clientId',
    {
      config: { action: 'apps.manage' },
      schema: {
        tags,
        summary: 'Revoke an app: every token of the grant stops working at once',
        params: ClientIdParams,
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await services.apps.revoke(actorOf(request), request.params.clientId);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/threads/:id/apps/:clientId',
    {
      config: { action: 'thread.remove_app' },
      schema: {
        tags,
        summary: 'Remove an app from a conversation (any participant)',
        params: Type.Object({ id: IdParams.properties.id, clientId: ClientIdParams.properties.clientId }),
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await services.apps.removeFromThread(actorOf(request), request.params.id, request.params.clientId);
      return reply.code(204).send(null);
    },
  );
}
