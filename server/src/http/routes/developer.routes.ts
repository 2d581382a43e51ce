import { Type } from 'typebox';
import {
  AppInputBody,
  AppPatchBody,
  ClientIdParams,
  Delivery,
  DeveloperApp,
  NewDeveloperApp,
  problems,
  ScopeInfo,
} from '../schemas.js';
import { actorOf, type App, type Services } from '../types.js';

export function developerRoutes(app: App, services: Services): void {
  const tags = ['developers'];

  app.get(
    '/api/scopes',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'The scope catalogue: what each scope can and cannot do',
        response: { 200: Type.Object({ items: Type.Array(ScopeInfo) }) },
      },
    },
    async () => ({ items: services.developer.catalogue() }),
  );

  app.post(
    '/api/developer/apps',
    {
      config: { action: 'apps.develop' },
      schema: {
        tags,
        summary: 'Register an app (the secrets are shown once)',
        body: AppInputBody,
        response: { 201: NewDeveloperApp, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await services.developer.register(actorOf(request), request.body)),
  );

  app.get(
    '/api/developer/apps',
    {
      config: { action: 'apps.develop' },
      schema: {
        tags,
        summary: 'My apps',
        response: { 200: Type.Object({ items: Type.Array(DeveloperApp) }), ...problems(401) },
      },
    },
    async (request) => ({ items: await services.developer.list(actorOf(request)) }),
  );

  app.get(
    '/api/developer/apps/:clientId',
    {
      config: { action: 'apps.develop' },
      schema: {
        tags,
        summary: 'One of my apps: its powers and usage',
        params: ClientIdParams,
        response: { 200: DeveloperApp, ...problems(400, 401, 404) },
      },
    },
    async (request) => services.developer.get(actorOf(request), request.params.clientId),
  );

  app.patch(
    '/api/developer/apps/:clientId',
    {
      config: { action: 'apps.develop' },
      schema: {
        tags,
        summary: 'Change an app; new scopes need new consent',
        params: ClientIdParams,
        body: AppPatchBody,
        response: { 200: DeveloperApp, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => services.developer.update(actorOf(request), request.params.clientId, request.body),
  );

  app.post(
    '/api/developer/apps/:clientId/secret',
    {
      config: { action: 'apps.develop' },
      schema: {
        tags,
        summary: 'Rotate the client secret (the old one stops working)',
        params: ClientIdParams,
        response: { 200: Type.Object({ clientSecret: Type.String() }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => services.developer.rotateSecret(actorOf(request), request.params.clientId),
  );

  app.get(
    '/api/developer/apps/:clientId/deliveries',
    {
      config: { action: 'apps.develop' },
      schema: {
        tags,
        summary: 'Webhook deliveries of one of my apps',
        params: ClientIdParams,
        response: { 200: Type.Object({ items: Type.Array(Delivery) }), ...problems(400, 401, 404) },
      },
    },
    async (request) => ({
      items: await services.developer.deliveries(actorOf(request), request.params.clientId),
    }),
  );
}
