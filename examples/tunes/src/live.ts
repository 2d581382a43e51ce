// Live replies in the Tunes page. Tunes reads Parley's event stream (/v1/events) for a person
// only while that person has a Tunes page open, and relays each event to those pages over its
// own Server-Sent Events. The last page closing ends the stream to Parley: Tunes does not listen
// to anyone's conversations while they are away.
import { ParleyApiError, type Message } from '@parley/sdk';
import { NotConnectedError, type Parley } from './parley.js';
import type { LostAccess } from './store.js';

/** What a Tunes page hears on /events. */
export type PageEvent =
  /** The stream from Parley is live (again): the page refetches, so nothing is missed. */
  | { type: 'ready' }
  | { type: 'message.created'; message: Message }
  | { type: 'message.deleted'; threadId: string; messageId: string }
  /** The connection to Parley ended: the page shows "Connect again". */
  | { type: 'disconnected'; reason: LostAccess };

export type PageListener = (event: PageEvent) => void;

interface Relay {
  listeners: Set<PageListener>;
  stop: AbortController;
  isLive: boolean;
}

/** Pause between failed attempts to reach Parley; the SDK already retries dropped connections. */
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export function createLiveRelay(parley: Parley, log: { warn(o: object, message: string): void }) {
  const relays = new Map<string, Relay>();

  function broadcast(relay: Relay, event: PageEvent): void {
    for (const listener of relay.listeners) listener(event);
  }

  function end(sub: string): void {
    const relay = relays.get(sub);
    if (!relay) return;
    relays.delete(sub);
    relay.stop.abort();
  }

  async function run(sub: string, relay: Relay): Promise<void> {
    const { signal } = relay.stop;
    let failures = 0;
    while (!signal.aborted) {
      try {
        await parley.withClient(sub, async (client) => {
          for await (const event of client.events({ signal })) {
            if (event.type === 'hello') {
              relay.isLive = true;
              failures = 0;
              broadcast(relay, { type: 'ready' });
            } else {
              broadcast(relay, event);
            }
          }
        });
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof NotConnectedError) {
          broadcast(relay, { type: 'disconnected', reason: error.reason });
          end(sub);
          return;
        }
        if (error instanceof ParleyApiError && error.status === 403) {
          // The person did not grant messages.read: there is nothing to listen to, now or later.
          relay.isLive = false;
          return;
        }
        log.warn({ err: error, sub }, 'the live stream from Parley failed; trying again');
      }
      relay.isLive = false;
      const delay = RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)]!;
      failures += 1;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, delay);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve(undefined);
          },
          { once: true },
        );
      });
    }
  }

  return {
    /** Starts relaying for the person if this is their first open page; returns the unsubscribe. */
    subscribe(sub: string, listener: PageListener): () => void {
      let relay = relays.get(sub);
      if (!relay) {
        const created: Relay = { listeners: new Set(), stop: new AbortController(), isLive: false };
        relays.set(sub, created);
        void run(sub, created);
        relay = created;
      }
      relay.listeners.add(listener);
      if (relay.isLive) listener({ type: 'ready' });
      const subscribed = relay;
      return () => {
        subscribed.listeners.delete(listener);
        if (subscribed.listeners.size === 0 && relays.get(sub) === subscribed) end(sub);
      };
    },

    /** The person's connection ended: tell their open pages and stop listening for them. */
    disconnected(sub: string, reason: LostAccess): void {
      const relay = relays.get(sub);
      if (!relay) return;
      broadcast(relay, { type: 'disconnected', reason });
      end(sub);
    },

    /** Whether Tunes is listening to Parley for this person right now. */
    isListening: (sub: string) => relays.has(sub),

    close(): void {
      for (const sub of [...relays.keys()]) end(sub);
    },
  };
}

export type LiveRelay = ReturnType<typeof createLiveRelay>;
