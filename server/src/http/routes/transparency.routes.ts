// The transparency log's public face (DESIGN.md "Transparency log"): signed tree heads, the
// verifier key and proofs for anyone; each person's own entries; an app's own entries.
import { Type } from 'typebox';
import { ClientIdParams, problems } from '../schemas.js';
import { actorOf, appActorOf, type App, type Services } from '../types.js';

const Hashes = Type.Array(Type.String({ description: 'base64 SHA-256 hash' }));
const Entry = Type.Object({
  index: Type.Integer(),
  leaf: Type.String({ description: 'base64 of the exact leaf bytes (RFC 8785 canonical JSON)' }),
  entry: Type.Object({
    v: Type.Integer(),
    time: Type.String(),
    app: Type.String(),
    grant: Type.String(),
    actor: Type.String(),
    action: Type.String(),
    threads: Type.Array(Type.String()),
    messages: Type.Array(Type.String()),
    subjects: Type.Array(Type.String()),
    salt: Type.String(),
  }),
});
const EntryPage = Type.Object({ items: Type.Array(Entry), nextCursor: Type.Optional(Type.String()) });
const EntryQuery = Type.Object(
  {
    app: Type.Optional(ClientIdParams.properties.clientId),
    before: Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);
const Count = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export function transparencyRoutes(app: App, services: Services): void {
  const tags = ['transparency'];

  app.get(
    '/v1/transparency/checkpoint',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'The latest signed tree head (C2SP tlog-checkpoint signed note, Ed25519)',
        response: {
          200: { description: 'The signed note', content: { 'text/plain': { schema: Type.String() } } },
          ...problems(503),
        },
      },
    },
    async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send(await services.transparency.latestCheckpoint()),
  );

  app.get(
    '/v1/transparency/key',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'The note verifier key (name+keyhash+base64key)',
        response: {
          200: { description: 'The verifier key', content: { 'text/plain': { schema: Type.String() } } },
        },
      },
    },
    async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send(await services.transparency.verifierKey()),
  );

  app.get(
    '/v1/transparency/proof/inclusion',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'Inclusion proof of entry `index` in the tree of size `size` (RFC 9162 §2.1.3)',
        querystring: Type.Object({ index: Count, size: Count }, { additionalProperties: false }),
        response: {
          200: Type.Object({ index: Type.Integer(), treeSize: Type.Integer(), hashes: Hashes }),
          ...problems(400),
        },
      },
    },
    async (request) => services.transparency.inclusion(request.query.index, request.query.size),
  );

  app.get(
    '/v1/transparency/proof/consistency',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'Consistency proof between tree sizes `from` and `to` (RFC 9162 §2.1.4)',
        querystring: Type.Object({ from: Count, to: Count }, { additionalProperties: false }),
        response: {
          200: Type.Object({ from: Type.Integer(), to: Type.Integer(), hashes: Hashes }),
          ...problems(400),
        },
      },
    },
    async (request) => services.transparency.consistency(request.query.from, request.query.to),
  );

  app.get(
    '/v1/transparency/entries/:index',
    {
      config: { action: 'grant.read', auth: 'bearer' },
      schema: {
        tags,
        security: [{ bearer: [] }],
        summary:
          "One of this app's own entries about the token's person, with its leaf bytes, to verify an Access-Receipt",
        params: Type.Object({ index: Count }, { additionalProperties: false }),
        response: { 200: Entry, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request) => services.transparency.entryForApp(appActorOf(request), request.params.index),
  );

  app.get(
    '/api/access-log',
    {
      config: { action: 'account.read' },
      schema: {
        tags,
        summary:
          'Every logged partner access to data about me, newest first, with each entry’s index and leaf',
        querystring: EntryQuery,
        response: { 200: EntryPage, ...problems(400, 401) },
      },
    },
    async (request) => services.transparency.entriesAbout(actorOf(request), request.query),
  );

  app.get(
    '/api/developer/apps/:clientId/access-log',
    {
      config: { action: 'apps.develop' },
      schema: {
        tags,
        summary: 'The log entries of one of my apps',
        params: ClientIdParams,
        querystring: Type.Omit(EntryQuery, ['app']),
        response: { 200: EntryPage, ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await services.developer.get(actor, request.params.clientId);
      return services.transparency.entriesOfApp(request.params.clientId, request.query);
    },
  );
}
