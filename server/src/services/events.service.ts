// Subscribing a person to their live events. The hub only ever delivers what the services
// addressed to that person, so the subscription itself is the one authorization step.
import { AppError } from '../errors.js';
import type { Actor } from '../policy/authorize.js';
import type { Connection, Hub } from '../realtime/hub.js';
import { must } from './guard.js';

export function createEventsService(hub: Hub) {
  return {
    subscribe(actor: Actor, connection: Connection): () => void {
      must(
        actor,
        'events.subscribe',
        { kind: 'account', userId: actor.userId },
        new AppError('not_authenticated'),
      );
      return hub.connect(actor.userId, connection);
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
