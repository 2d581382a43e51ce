// Partner webhooks, queued (DESIGN.md "Partner API"): a delivery row is written with the
// repositories of the change that caused it, so both commit together or neither does. The
// dispatcher signs and sends after commit.
import { newId } from '../lib/ids.js';
import { authorize, type ThreadFacts } from '../policy/authorize.js';
import type { Repositories } from '../storage/repositories/index.js';
import type { GrantRow } from '../storage/repositories/grant.repository.js';
import type { ServiceDeps } from './deps.js';
import { grantFacts } from './grants.js';
import type { MessageView } from './views.js';
import type { WebhookSink } from './webhook-sink.js';

export type GrantEndedType = 'grant.revoked' | 'grant.expired';

/** Every event an app may ask for; an app that asks for none of them gets no webhooks. */
export const WEBHOOK_EVENT_TYPES = ['message.created', 'grant.revoked', 'grant.expired'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The events an app asked for (stored as a JSON array; unknown names are ignored). */
export function webhookEventsOf(app: { webhook_events: string }): WebhookEventType[] {
  const stored = JSON.parse(app.webhook_events) as unknown[];
  return WEBHOOK_EVENT_TYPES.filter((type) => stored.includes(type));
}

/** The JSON body of a delivery; `id` is also the Parley-Webhook-Id header, the same on every retry. */
export type WebhookEvent =
  | { type: 'message.created'; id: string; createdAt: string; data: { message: MessageView } }
  | {
      type: GrantEndedType;
      id: string;
      createdAt: string;
      data: { grantId: string; userId: string; clientId: string };
    };

type WebhookDeps = Pick<ServiceDeps, 'clock' | 'grantExpiryDays' | 'accessLog'>;

/**
 * The apps (with a webhook URL) that may read this conversation now for at least one of its
 * members. Each candidate grant is put to `authorize` as the app acting for that member, the
 * same decision as GET /v1/threads/:id/messages: live and unexpired, messages.read for a
 * conversation started through the app or threads.connect for a selected one, and not removed
 * by a participant.
 */
export async function appsThatMayRead(
  repos: Repositories,
  thread: { id: string } & ThreadFacts,
  deps: Pick<ServiceDeps, 'clock' | 'grantExpiryDays'>,
  onlyClientId?: string,
): Promise<Map<string, { grantId: string; userId: string }>> {
  const candidates = await repos.webhooks.readerCandidates(thread, onlyClientId);
  const selections = await repos.grants.selectedThreadsOf(candidates.map((g) => g.id));
  const now = deps.clock.now().getTime();
  const readers = new Map<string, { grantId: string; userId: string }>();
  for (const grant of candidates) {
    if (readers.has(grant.client_id)) continue;
    const selected = selections.filter((s) => s.grant_id === grant.id).map((s) => s.thread_id);
    const facts = grantFacts(grant, selected, deps.grantExpiryDays);
    const actor = {
      kind: 'app',
      userId: grant.user_id,
      clientId: grant.client_id,
      grant: facts,
      now,
    } as const;
    if (authorize(actor, 'app_thread.read', { kind: 'thread', ...thread }).allow)
      readers.set(grant.client_id, { grantId: grant.id, userId: grant.user_id });
  }
  return readers;
}

export function createWebhookService(deps: WebhookDeps): WebhookSink {
  const { clock } = deps;

  async function queue(repos: Repositories, clientId: string, event: WebhookEvent): Promise<void> {
    await repos.webhooks.insert({
      id: event.id,
      client_id: clientId,
      event: event.type,
      body: JSON.stringify(event),
      attempts: 0,
      status: 'pending',
      last_status_code: null,
      last_error: null,
      next_attempt_at: event.createdAt,
      created_at: event.createdAt,
      delivered_at: null,
    });
  }

  return {
    async messageCreated(repos, message, thread) {
      const readers = await appsThatMayRead(repos, thread, deps);
      const createdAt = clock.now().toISOString();
      // One delivery per app, however many of the members connected it.
      for (const [clientId, via] of readers) {
        await queue(repos, clientId, { type: 'message.created', id: newId(), createdAt, data: { message } });
        // The delivery carries the message out of Parley: it is logged like a read.
        await deps.accessLog.record(repos, {
          clientId,
          grantId: via.grantId,
          actorId: via.userId,
          action: 'webhook.message_created',
          resources: { threadIds: [thread.id], messageIds: [message.id] },
          subjects: [via.userId, message.author.id],
        });
      }
    },

    async grantEnded(repos, grant: GrantRow, type) {
      const createdAt = clock.now().toISOString();
      // Announced once per grant and event, however often the end is noticed (every refused
      // token of an expired grant reports it).
      if (!(await repos.webhooks.markGrantEvent(grant.id, type, createdAt))) return;
      const app = await repos.apps.find(grant.client_id);
      if (!app?.webhook_url || !webhookEventsOf(app).includes(type)) return;
      await queue(repos, app.client_id, {
        type,
        id: newId(),
        createdAt,
        data: { grantId: grant.id, userId: grant.user_id, clientId: grant.client_id },
      });
    },
  };
}
