import type Provider from 'oidc-provider';
import type { Hub } from '../realtime/hub.js';
import { createAppsService } from './apps.service.js';
import { createAuthService } from './auth.service.js';
import { createConsentService } from './consent.service.js';
import type { ServiceDeps } from './deps.js';
import { createDeveloperService } from './developer.service.js';
import { createEventsService } from './events.service.js';
import { createFriendService } from './friend.service.js';
import { createPartnerAuthService } from './partner-auth.service.js';
import { createPartnerService } from './partner.service.js';
import { createThreadService } from './thread.service.js';
import type { TransparencyService } from './transparency.service.js';

export interface PlatformDeps extends ServiceDeps {
  transparency: TransparencyService;
  provider: Provider;
  /** The partner API's URL: the resource indicator its tokens are for. */
  apiResource: string;
}

export function createServices(deps: PlatformDeps, hub: Hub) {
  const apps = createAppsService(deps);
  const partnerAuth = createPartnerAuthService(deps);
  return {
    auth: createAuthService(deps),
    friends: createFriendService(deps),
    threads: createThreadService({ ...deps, appsOnThread: (threadId) => apps.appsOnThread(threadId) }),
    events: createEventsService({ hub, storage: deps.storage, partnerAuth, accessLog: deps.accessLog }),
    developer: createDeveloperService(deps),
    consent: createConsentService(deps),
    apps,
    partnerAuth,
    partner: createPartnerService(deps),
    transparency: deps.transparency,
  };
}
