import { Type } from 'typebox';
import { Friend, FriendRequest, IdParams, NoContent, problems, Username } from '../schemas.js';
import { actorOf, type App, type Services } from '../types.js';

export function friendRoutes(app: App, services: Services): void {
  const tags = ['friends'];

  app.get(
    '/api/friends',
    {
      config: { action: 'friends.read' },
      schema: {
        tags,
        summary: 'My friends',
        response: { 200: Type.Object({ items: Type.Array(Friend) }), ...problems(401) },
      },
    },
    async (request) => ({ items: await services.friends.list(actorOf(request)) }),
  );

  app.post(
    '/api/friends/requests',
    {
      config: { action: 'friends.manage' },
      schema: {
        tags,
        summary: 'Ask someone to be friends',
        description:
          'If that person had already asked you, their request is accepted (200, status "accepted").',
        body: Type.Object({ username: Username }, { additionalProperties: false }),
        response: { 200: FriendRequest, 201: FriendRequest, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await services.friends.request(actorOf(request), request.body.username);
      return reply.code(result.status === 'accepted' ? 200 : 201).send(result);
    },
  );

  app.get(
    '/api/friends/requests',
    {
      config: { action: 'friends.read' },
      schema: {
        tags,
        summary: 'Pending friend requests, to and from me',
        response: {
          200: Type.Object({ incoming: Type.Array(FriendRequest), outgoing: Type.Array(FriendRequest) }),
          ...problems(401),
        },
      },
    },
    async (request) => services.friends.listRequests(actorOf(request)),
  );

  app.post(
    '/api/friends/requests/:id/accept',
    {
      config: { action: 'friend_request.respond' },
      schema: {
        tags,
        summary: 'Accept a friend request',
        params: IdParams,
        response: { 200: Friend, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => services.friends.accept(actorOf(request), request.params.id),
  );

  app.post(
    '/api/friends/requests/:id/decline',
    {
      config: { action: 'friend_request.respond' },
      schema: {
        tags,
        summary: 'Decline a friend request',
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await services.friends.decline(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/friends/requests/:id',
    {
      config: { action: 'friend_request.withdraw' },
      schema: {
        tags,
        summary: 'Cancel a request I sent, or decline one I received',
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await services.friends.withdraw(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/friends/:userId',
    {
      config: { action: 'friends.manage' },
      schema: {
        tags,
        summary: 'Stop being friends',
        params: Type.Object({ userId: IdParams.properties.id }),
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await services.friends.remove(actorOf(request), request.params.userId);
      return reply.code(204).send(null);
    },
  );
}
