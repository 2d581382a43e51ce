// Resolves the session cookie to a person on /api routes, and refuses routes that need one.
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../../services/auth.service.js';
import { SESSION_COOKIE } from '../route-config.js';
import { sendProblem } from './errors.js';

export function registerSession(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('person', null);
  app.addHook('preHandler', async (request, reply) => {
    const { action, auth: scheme } = request.routeOptions.config;
    if (action === undefined || action === 'public' || scheme === 'bearer') return;
    const token = request.cookies[SESSION_COOKIE];
    request.person = token ? await auth.personForToken(token) : null;
    if (!request.person) return sendProblem(reply, 'not_authenticated');
  });
}
