import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import type { Storage } from '../../storage/database.js';
import { sendProblem } from '../plugins/errors.js';
import { problems } from '../schemas.js';
import type { App } from '../types.js';

export function opsRoutes(app: App, deps: { storage: Storage; metrics: Registry }): void {
  const tags = ['operations'];
  const Status = Type.Object({ status: Type.String() });

  app.get(
    '/healthz',
    { config: { action: 'public' }, schema: { tags, summary: 'Alive', response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { action: 'public' },
      schema: { tags, summary: 'Ready: the database answers', response: { 200: Status, ...problems(503) } },
    },
    async (request, reply) => {
      try {
        await deps.storage.ping();
        return { status: 'ok' };
      } catch (error) {
        request.log.warn({ err: error }, 'database not reachable');
        return sendProblem(reply, 'service_unavailable', 'The database does not answer.');
      }
    },
  );

  app.get(
    '/metrics',
    { config: { action: 'public' }, schema: { tags, summary: 'Prometheus metrics', hide: false } },
    async (_request, reply) => {
      reply.type(deps.metrics.contentType);
      return deps.metrics.metrics();
    },
  );
}
