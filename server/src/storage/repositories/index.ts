import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { createAppRepository } from './app.repository.js';
import { createGrantRepository } from './grant.repository.js';
import { createOidcRepository } from './oidc.repository.js';
import { createTlogRepository } from './tlog.repository.js';
import { createFriendRepository } from './friend.repository.js';
import { createMessageRepository } from './message.repository.js';
import { createSecretRepository } from './secret.repository.js';
import { createSessionRepository } from './session.repository.js';
import { createThreadRepository } from './thread.repository.js';
import { createThrottleRepository } from './throttle.repository.js';
import { createUserRepository } from './user.repository.js';
import { createWebhookRepository } from './webhook.repository.js';

/** Every repository bound to one executor: the database, or one transaction. */
export function createRepositories(db: Kysely<Database>) {
  return {
    users: createUserRepository(db),
    sessions: createSessionRepository(db),
    throttle: createThrottleRepository(db),
    friends: createFriendRepository(db),
    threads: createThreadRepository(db),
    messages: createMessageRepository(db),
    secrets: createSecretRepository(db),
    apps: createAppRepository(db),
    grants: createGrantRepository(db),
    oidc: createOidcRepository(db),
    tlog: createTlogRepository(db),
    webhooks: createWebhookRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
