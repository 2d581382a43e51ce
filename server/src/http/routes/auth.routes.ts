import type { FastifyReply } from 'fastify';
import { SESSION_TTL_MS } from '../../services/auth.service.js';
import { SESSION_COOKIE } from '../route-config.js';
import { LoginBody, Me, NoContent, problems, SignupBody, User } from '../schemas.js';
import { actorOf, type App, type Services } from '../types.js';

export function authRoutes(app: App, services: Services, options: { isSecure: boolean }): void {
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.isSecure,
      path: '/',
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    });

  app.post(
    '/api/auth/signup',
    {
      config: { action: 'public' },
      schema: {
        tags: ['account'],
        summary: 'Create an account and log in',
        body: SignupBody,
        response: { 201: User, ...problems(400, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const { user, token } = await services.auth.signup(request.body);
      setSessionCookie(reply, token);
      return reply.code(201).send(user);
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: { action: 'public' },
      schema: {
        tags: ['account'],
        summary: 'Log in',
        description: `Throttled per account and per address: too many failures answer 429 with Retry-After.`,
        body: LoginBody,
        response: { 200: User, ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { user, token } = await services.auth.login({ ...request.body, address: request.ip });
      setSessionCookie(reply, token);
      return user;
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { action: 'public' },
      schema: {
        tags: ['account'],
        summary: 'Log out: the session is revoked on the server',
        response: { 204: NoContent, ...problems(403) },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await services.auth.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      config: { action: 'account.read' },
      schema: { tags: ['account'], summary: 'The logged-in person', response: { 200: Me, ...problems(401) } },
    },
    async (request) => services.auth.me(actorOf(request), request.person!),
  );
}
