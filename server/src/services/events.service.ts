// Live event subscriptions. A person's connection gets what the services addressed to them. An
// app's connection (the partner API's /v1/events) gets only new and deleted messages of
// conversations the app may read now: each event is decided again with the token's current
// grant, so a removal, revocation or expiry takes effect on the open stream at once.
import { AppError } from '../errors.js';
import { authorize, type Actor } from '../policy/authorize.js';
import type { LiveEvent } from '../realtime/events.js';
import type { Connection, Hub } from '../realtime/hub.js';
import type { Storage } from '../storage/database.js';
import { insufficientScope, must } from './guard.js';
import type { AppActor, PartnerAuthService } from './partner-auth.service.js';
import { accessOf, type AccessLog } from './transparency.service.js';

export interface ClosableConnection extends Connection {
  close(): void;
}

export function createEventsService(deps: {
  hub: Hub;
  storage: Storage;
  partnerAuth: PartnerAuthService;
  accessLog: AccessLog;
}) {
  const { hub, storage, partnerAuth, accessLog } = deps;

  return {
    subscribe(actor: Actor, connection: Connection): () => void {
      must(
        actor,
        'events.subscribe',
        { kind: 'account', userId: actor.userId },
        () => new AppError('not_authenticated'),
      );
      return hub.connect(actor.userId, connection);
    },

    subscribeApp(actor: AppActor, token: string, connection: ClosableConnection): () => void {
      must(actor, 'app_events.subscribe', { kind: 'account', userId: actor.userId }, () =>
        insufficientScope('live events'),
      );
      const forward = async (event: LiveEvent) => {
        if (event.type === 'grant.ended') {
          if (event.clientId !== actor.clientId) return;
          // This stream's token may belong to the grant that ended: close it if it no longer works.
          return partnerAuth.actorForToken(token).then(
            () => undefined,
            () => connection.close(),
          );
        }
        if (event.type !== 'message.created' && event.type !== 'message.deleted') return;
        const threadId = event.type === 'message.created' ? event.message.threadId : event.threadId;
        let current: AppActor;
        try {
          current = await partnerAuth.actorForToken(token);
        } catch {
          return connection.close();
        }
        const facts = await storage.repos.threads.facts(threadId);
        if (!facts || !authorize(current, 'app_thread.read', { kind: 'thread', ...facts }).allow) return;
        // Log before respond: the event leaves only once its entry is durable.
        await accessLog.recordAlone({
          ...accessOf(current, 'app_events.read'),
          resources: {
            threadIds: [threadId],
            messageIds: [event.type === 'message.created' ? event.message.id : event.messageId],
          },
          subjects: [current.userId, ...(event.type === 'message.created' ? [event.message.author.id] : [])],
        });
        connection.send(event);
      };
      return hub.connect(actor.userId, { send: (event) => void forward(event) });
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
