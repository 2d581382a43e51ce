import type { Hub } from '../realtime/hub.js';
import { createAuthService } from './auth.service.js';
import type { ServiceDeps } from './deps.js';
import { createEventsService } from './events.service.js';
import { createFriendService } from './friend.service.js';
import { createThreadService } from './thread.service.js';

export function createServices(deps: ServiceDeps, hub: Hub) {
  return {
    auth: createAuthService(deps),
    friends: createFriendService(deps),
    threads: createThreadService(deps),
    events: createEventsService(hub),
  };
}
