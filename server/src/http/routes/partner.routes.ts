import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import {
  IdParams,
  Message,
  MessagePageQuery,
  NoContent,
  pageOf,
  PartnerMe,
  PartnerSendBody,
  Permissions,
  problems,
  Thread,
  User,
} from '../schemas.js';
import type { App, Services } from '../types.js';
import { appActorOf } from '../types.js';

export function partnerRoutes(app: App, services: Services): void {
  const tags = ['partner API'];
  const security = [{ bearer: [] }];
  // Open event streams never go idle: end them when the server closes, or it would wait forever.
  const openStreams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of openStreams) res.end();
  });

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

  app.get(
    '/v1/me/friends',
    {
      config: { action: 'app_friends.read', auth: 'bearer' },
      schema: {
        tags,
        security,
        summary: 'friends.read: the person’s friends who have also connected this app',
        response: { 200: Type.Object({ items: Type.Array(User) }), ...problems(401, 403, 429) },
      },
    },
    async (request) => ({ items: await services.friends.listForApp(appActorOf(request)) }),
  );

  app.post(
    '/v1/messages',
    {
      config: { action: 'app_message.send', auth: 'bearer' },
      schema: {
        tags,
        security,
        summary: 'Send as the person, shown "via" the app',
        description:
          '`to` a friend (messages.send: into the conversation started through this app with them) or a conversation id (threads.connect: a conversation the person selected; messages.send: one started through this app).',
        body: PartnerSendBody,
        response: { 201: Message, ...problems(400, 401, 403, 404, 413, 429) },
      },
    },
    async (request, reply) => {
      const actor = appActorOf(request);
      const { to, ...content } = request.body;
      const isThread = await services.threads.exists(to);
      const message = isThread
        ? await services.threads.send(actor, to, content)
        : await services.threads.sendToFriend(actor, to, content);
      return reply.code(201).send(message);
    },
  );

  app.delete(
    '/v1/messages/:id',
    {
      config: { action: 'app_message.delete', auth: 'bearer' },
      schema: {
        tags,
        security,
        summary: 'Delete a message this app sent',
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await services.threads.deleteMessage(appActorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/threads',
    {
      config: { action: 'app_thread.list', auth: 'bearer' },
      schema: {
        tags,
        security,
        summary: 'Conversations this app may read for the person',
        response: { 200: Type.Object({ items: Type.Array(Thread) }), ...problems(401, 403, 429) },
      },
    },
    async (request) => ({ items: await services.threads.listForApp(appActorOf(request), { limit: 100 }) }),
  );

  app.get(
    '/v1/threads/:id/messages',
    {
      config: { action: 'app_thread.read', auth: 'bearer' },
      schema: {
        tags,
        security,
        summary: 'Messages of a conversation this app may read, newest first',
        params: IdParams,
        querystring: MessagePageQuery,
        response: { 200: pageOf(Message), ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request) => services.threads.listMessages(appActorOf(request), request.params.id, request.query),
  );

  app.get(
    '/v1/events',
    {
      config: { action: 'app_events.subscribe', auth: 'bearer' },
      schema: {
        tags,
        security,
        summary:
          'Live events (Server-Sent Events): new and deleted messages in conversations this app may read',
        description:
          'text/event-stream. Events: `hello` once, then `message.created` ({message}) and `message.deleted` ({threadId, messageId}). A comment line every 25 s keeps the stream open; the stream ends when the grant is revoked or expires.',
      },
    },
    (request, reply) => {
      const actor = appActorOf(request);
      const token = (request.headers.authorization ?? '').slice('Bearer '.length);
      const res = reply.raw;
      const write = (event: string, data: unknown) =>
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      // Subscribing decides (and may refuse) before the stream starts; events arrive asynchronously.
      const unsubscribe = services.events.subscribeApp(actor, token, {
        send: (event) => {
          const { type, ...data } = event;
          write(type, data);
        },
        close: () => res.end(),
      });
      reply.hijack();
      openStreams.add(res);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-request-id': request.id,
      });
      write('hello', { clientId: actor.clientId, userId: actor.userId });
      const heartbeat = setInterval(() => res.write(': ping\n\n'), 25_000);
      heartbeat.unref();
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        openStreams.delete(res);
      });
    },
  );
}
