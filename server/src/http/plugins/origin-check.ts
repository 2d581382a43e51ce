// CSRF defence for the cookie-authenticated API (DESIGN.md "First-party API"): a request that
// can change state must name our own origin in `Origin`, or it is refused before anything runs.
// SameSite=Lax cookies are the second layer.
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerOriginCheck(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  app.addHook('onRequest', async (request, reply) => {
    // The consent screen's decisions are as sensitive as any API call.
    if (!request.url.startsWith('/api/') && !request.url.startsWith('/consent/')) return;
    const origin = request.headers.origin;
    // WebSocket upgrades are GETs, but browsers always send Origin with them: check it too,
    // or any site could open a live feed with the visitor's cookie (CSWSH).
    const isUpgrade = request.headers.upgrade?.toLowerCase() === 'websocket';
    if (SAFE_METHODS.has(request.method) && !isUpgrade) return;
    if (origin !== undefined && allowedOrigins.includes(origin)) return;
    return sendProblem(
      reply,
      'origin_mismatch',
      origin ? `Requests from ${origin} cannot change anything here.` : 'The Origin header is missing.',
    );
  });
}
