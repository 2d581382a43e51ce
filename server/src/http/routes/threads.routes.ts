import { Type } from 'typebox';
import {
  CreateThreadBody,
  Id,
  IdParams,
  Message,
  MessagePageQuery,
  NoContent,
  PageQuery,
  pageOf,
  problems,
  SendMessageBody,
  Thread,
  ThreadDetail,
} from '../schemas.js';
import { actorOf, type App, type Services } from '../types.js';

export function threadRoutes(app: App, services: Services): void {
  const tags = ['conversations'];

  app.get(
    '/api/threads',
    {
      config: { action: 'thread.list' },
      schema: {
        tags,
        summary: 'My conversations, most recently active first',
        querystring: PageQuery,
        response: { 200: pageOf(Thread), ...problems(400, 401) },
      },
    },
    async (request) => services.threads.list(actorOf(request), request.query),
  );

  app.post(
    '/api/threads',
    {
      config: { action: 'thread.create' },
      schema: {
        tags,
        summary: 'Start a conversation with friends',
        description:
          'One friend and no title: the one-to-one conversation (200 with the existing one if there is one). Otherwise a group, which needs a title.',
        body: CreateThreadBody,
        response: { 200: ThreadDetail, 201: ThreadDetail, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { thread, isNew } = await services.threads.create(actorOf(request), request.body);
      return reply.code(isNew ? 201 : 200).send(thread);
    },
  );

  app.get(
    '/api/threads/:id',
    {
      config: { action: 'thread.read' },
      schema: {
        tags,
        summary: 'A conversation: participants, read markers, and the apps that can read it',
        params: IdParams,
        response: { 200: ThreadDetail, ...problems(400, 401, 404) },
      },
    },
    async (request) => services.threads.get(actorOf(request), request.params.id),
  );

  app.get(
    '/api/threads/:id/messages',
    {
      config: { action: 'thread.read' },
      schema: {
        tags,
        summary: 'Messages, newest first, in pages',
        params: IdParams,
        querystring: MessagePageQuery,
        response: { 200: pageOf(Message), ...problems(400, 401, 404) },
      },
    },
    async (request) => services.threads.listMessages(actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/api/threads/:id/messages',
    {
      config: { action: 'thread.post' },
      schema: {
        tags,
        summary: 'Send a message (text, a card, or both)',
        params: IdParams,
        body: SendMessageBody,
        response: { 201: Message, ...problems(400, 401, 403, 404, 413) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await services.threads.send(actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/threads/:id/read',
    {
      config: { action: 'thread.mark_read' },
      schema: {
        tags,
        summary: 'Move my read marker forward to a message',
        params: IdParams,
        body: Type.Object({ messageId: Id }, { additionalProperties: false }),
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await services.threads.markRead(actorOf(request), request.params.id, request.body.messageId);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/messages/:id',
    {
      config: { action: 'message.delete' },
      schema: {
        tags,
        summary: 'Delete my message, for everyone',
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await services.threads.deleteMessage(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
