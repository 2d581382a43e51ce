import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors.js';
import type { Actor } from '../policy/authorize.js';
import type { AppsService } from '../services/apps.service.js';
import type { AuthService } from '../services/auth.service.js';
import type { ConsentService } from '../services/consent.service.js';
import type { DeveloperService } from '../services/developer.service.js';
import type { AppActor, PartnerAuthService } from '../services/partner-auth.service.js';
import type { PartnerService } from '../services/partner.service.js';
import type { TransparencyService } from '../services/transparency.service.js';
import type { EventsService } from '../services/events.service.js';
import type { FriendService } from '../services/friend.service.js';
import type { ThreadService } from '../services/thread.service.js';
import './route-config.js';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface Services {
  auth: AuthService;
  friends: FriendService;
  threads: ThreadService;
  events: EventsService;
  developer: DeveloperService;
  consent: ConsentService;
  apps: AppsService;
  partner: PartnerService;
  partnerAuth: PartnerAuthService;
  transparency: TransparencyService;
}

/** The app actor of a partner route (the bearer plugin ran). */
export function appActorOf(request: FastifyRequest): AppActor {
  if (!request.app) throw new AppError('invalid_token');
  return request.app;
}

/** The acting person of a route that declared an action (the session plugin ran). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.person) throw new AppError('not_authenticated');
  return { kind: 'person', userId: request.person.id };
}
