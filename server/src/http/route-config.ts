import type { RouteOptions } from 'fastify';
import type Provider from 'oidc-provider';
import type { Action } from '../policy/authorize.js';
import type { SessionPerson } from '../services/auth.service.js';
import type { AppActor } from '../services/partner-auth.service.js';

/**
 * Every route declares what it does: a policy action (checked by `authorize` in the service)
 * or 'public' for routes that touch no personal data or create the session itself. A test
 * walks the route table and fails on a route without one.
 */
export type RouteAction = Action | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    action?: RouteAction;
    /** 'bearer': a partner's access token (the /v1 API); otherwise the session cookie. */
    auth?: 'bearer';
  }
  interface FastifyInstance {
    /** Every route registered, in order (for the route-table test). */
    routeTable: RouteOptions[];
    /** The OAuth provider (its token checks are compared with the partner API's in tests). */
    oauthProvider: Provider;
  }
  interface FastifyRequest {
    /** The person of the session cookie, set by the session plugin on /api routes. */
    person: SessionPerson | null;
    /** The app and the person it acts for, set by the bearer plugin on partner routes. */
    app: AppActor | null;
  }
}

export const SESSION_COOKIE = 'parley_session';
