import type { ThreadFacts } from '../policy/authorize.js';
import type { Repositories } from '../storage/repositories/index.js';
import type { GrantRow } from '../storage/repositories/grant.repository.js';
import type { MessageView } from './views.js';

/**
 * Where use-cases hand events for partner webhooks (DESIGN.md "Partner API": signed,
 * retried). Deliveries are queued with the same repositories as the change, so a change and
 * its webhooks commit together; a dispatcher sends them after commit.
 */
export interface WebhookSink {
  /** A message was created: queue message.created for every app that may read the conversation. */
  messageCreated(
    repos: Repositories,
    message: MessageView,
    thread: { id: string } & ThreadFacts,
  ): Promise<void>;
  /** A grant ended: queue grant.revoked or grant.expired for its app. */
  grantEnded(repos: Repositories, grant: GrantRow, event: 'grant.revoked' | 'grant.expired'): Promise<void>;
}

/** For tools that run use-cases without partner webhooks (the demo seed). */
export const noWebhooks: WebhookSink = {
  messageCreated: () => Promise.resolve(),
  grantEnded: () => Promise.resolve(),
};
