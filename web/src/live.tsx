// One WebSocket to /api/events while someone is logged in (docs/API.md, "Live events").
// Pages subscribe to the parsed events; the socket reconnects with capped, jittered
// exponential backoff. Every `hello` (first or after a reconnect) tells subscribers that the
// subscription is live again, so they can refetch what they may have missed.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, type Message } from './api';

export type LiveEvent =
  | { type: 'hello'; userId: string }
  | { type: 'message.created'; message: Message }
  | { type: 'message.deleted'; threadId: string; messageId: string }
  | { type: 'thread.read'; threadId: string; userId: string; messageId: string }
  | { type: 'thread.created'; threadId: string }
  /** An app was connected to or removed from a conversation. */
  | { type: 'thread.apps_changed'; threadId: string }
  | { type: 'friends.changed' };

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

type Listener = (event: LiveEvent) => void;

type LiveContextValue = {
  status: LiveStatus;
  subscribe: (listener: Listener) => () => void;
};

const LiveContext = createContext<LiveContextValue>({
  status: 'connecting',
  subscribe: () => () => undefined,
});

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

function eventsUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/events`;
}

function parseEvent(data: unknown): LiveEvent | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const e = value as Record<string, unknown>;
  const str = (key: string) => typeof e[key] === 'string';
  switch (e.type) {
    case 'hello':
      return str('userId') ? (e as LiveEvent) : null;
    case 'message.created':
      return typeof e.message === 'object' && e.message !== null ? (e as LiveEvent) : null;
    case 'message.deleted':
      return str('threadId') && str('messageId') ? (e as LiveEvent) : null;
    case 'thread.read':
      return str('threadId') && str('userId') && str('messageId') ? (e as LiveEvent) : null;
    case 'thread.created':
    case 'thread.apps_changed':
      return str('threadId') ? (e as LiveEvent) : null;
    case 'friends.changed':
      return { type: 'friends.changed' };
    default:
      // Events added later are ignored rather than guessed at.
      return null;
  }
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const listenersRef = useRef(new Set<Listener>());
  const [value] = useState<Omit<LiveContextValue, 'status'>>(() => ({
    subscribe(listener) {
      listenersRef.current.add(listener);
      return () => listenersRef.current.delete(listener);
    },
  }));

  useEffect(() => {
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    let everLive = false;

    const connect = () => {
      clearTimeout(timer);
      timer = undefined;
      if (stopped) return;
      let sawHello = false;
      const ws = new WebSocket(eventsUrl());
      socket = ws;
      ws.onmessage = (message) => {
        const event = parseEvent(message.data);
        if (!event) return;
        if (event.type === 'hello') {
          sawHello = true;
          everLive = true;
          attempt = 0;
          setStatus('live');
        }
        for (const listener of listenersRef.current) listener(event);
      };
      ws.onclose = () => {
        if (socket === ws) socket = null;
        if (stopped) return;
        setStatus(everLive ? 'reconnecting' : 'connecting');
        // A socket that never went live may have been refused for want of a session; asking
        // /api/me lets the app notice a lost session (api.ts announces 401s).
        if (!sawHello && attempt >= 1) void api.me().catch(() => undefined);
        const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
        attempt += 1;
        timer = setTimeout(connect, delay / 2 + Math.random() * (delay / 2));
      };
    };

    // Coming back online or to the tab should not wait out a long backoff.
    const retryNow = () => {
      if (!socket && !stopped) connect();
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') retryNow();
    };

    // Deferred so that a mount immediately undone (React StrictMode) opens no socket.
    timer = setTimeout(connect, 0);
    window.addEventListener('online', retryNow);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener('online', retryNow);
      document.removeEventListener('visibilitychange', onVisible);
      socket?.close(1000, 'logged out');
      socket = null;
    };
  }, []);

  return <LiveContext.Provider value={{ ...value, status }}>{children}</LiveContext.Provider>;
}

export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext).status;
}

/** Calls `handler` for every live event while the component is mounted. */
export function useLiveEvents(handler: Listener): void {
  const { subscribe } = useContext(LiveContext);
  const handlerRef = useRef(handler);
  useEffect(() => {
    handlerRef.current = handler;
  });
  useEffect(() => subscribe((event) => handlerRef.current(event)), [subscribe]);
}
