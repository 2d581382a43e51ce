import type { Delivery } from './events.js';

/**
 * Carries committed deliveries to every API node's hub. In-process by default; a NATS
 * backplane implements the same interface when several nodes share one database.
 */
export interface EventBus {
  publish(deliveries: readonly Delivery[]): void;
  subscribe(handler: (delivery: Delivery) => void): () => void;
  close(): Promise<void>;
}

export function createInProcessBus(): EventBus {
  const handlers = new Set<(delivery: Delivery) => void>();
  return {
    publish(deliveries) {
      for (const delivery of deliveries) for (const handler of handlers) handler(delivery);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    close: () => Promise.resolve(),
  };
}
