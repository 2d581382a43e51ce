// The share dialog's endpoints: the web page /share?client_id=&card= shows the app and the
// person's friends, and sends the card "via" the app to the friends they pick.
import { Type } from 'typebox';
import { AppPublic, Card, ClientIdParams, Id, Message, problems } from '../schemas.js';
import { actorOf, type App, type Services } from '../types.js';

export function shareRoutes(app: App, services: Services): void {
  const tags = ['share'];

  app.get(
    '/api/share/apps/:clientId',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'The app a share comes from (its public face only)',
        params: ClientIdParams,
        response: { 200: AppPublic, ...problems(400, 404) },
      },
    },
    async (request) => services.apps.publicInfo(request.params.clientId),
  );

  app.post(
    '/api/share',
    {
      config: { action: 'thread.create' },
      schema: {
        tags,
        summary: 'Send an app’s card to friends I pick, shown "via" the app',
        body: Type.Object(
          {
            clientId: ClientIdParams.properties.clientId,
            card: Card,
            friendIds: Type.Array(Id, { minItems: 1, maxItems: 20 }),
            text: Type.Optional(Type.String({ maxLength: 1000 })),
            redirectUri: Type.Optional(
              Type.String({ maxLength: 2000, description: "One of the app's registered redirect URIs" }),
            ),
            state: Type.Optional(
              Type.String({ maxLength: 500, description: 'Given back to the app unchanged' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            items: Type.Array(Message),
            returnTo: Type.Optional(
              Type.String({
                description:
                  'redirectUri with state, threads=<id>,… and messages=<id>,… (the app may post to and delete them)',
              }),
            ),
          }),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await services.threads.share(actorOf(request), request.body)),
  );
}
