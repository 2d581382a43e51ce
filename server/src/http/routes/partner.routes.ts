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
}
