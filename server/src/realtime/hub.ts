import type { EventBus } from './bus.js';
import type { Delivery, LiveEvent } from './events.js';

export interface Connection {
  send(event: LiveEvent): void;
}

/**
 * Live connections of this node, by person. A delivery reaches only its recipients'
 * connections; nothing is broadcast.
 */
export interface Hub {
  connect(userId: string, connection: Connection): () => void;
  connectionCount(): number;
  close(): void;
}

export function createHub(bus: EventBus): Hub {
  const byUser = new Map<string, Set<Connection>>();
  let count = 0;
  const deliver = (delivery: Delivery) => {
    for (const userId of delivery.recipients) {
      const connections = byUser.get(userId);
      if (!connections) continue;
      for (const connection of connections) connection.send(delivery.event);
    }
  };
  const unsubscribe = bus.subscribe(deliver);
  return {
    connect(userId, connection) {
      let set = byUser.get(userId);
      if (!set) byUser.set(userId, (set = new Set()));
      set.add(connection);
      count += 1;
      return () => {
        if (set.delete(connection)) count -= 1;
        if (set.size === 0) byUser.delete(userId);
      };
    },
    connectionCount: () => count,
    close: unsubscribe,
  };
}
