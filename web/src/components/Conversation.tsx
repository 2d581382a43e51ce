import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, errorMessage, type Message, type ThreadDetail } from '../api';
import { formatFull, formatMessageTime, listNames, threadLabel } from '../format';
import { useLiveEvents } from '../live';
import { Link } from '../router';
import { useSession } from '../session';
import { Composer } from './Composer';
import { MessageCard } from './MessageCard';

const PAGE_SIZE = 50;
/** Closer to the bottom than this (px) counts as "reading the newest messages". */
const NEAR_BOTTOM_PX = 120;

type Log = { messages: Message[]; cursor: string | undefined };

function compareMessages(a: Message, b: Message): number {
  if (a.createdAt !== b.createdAt) return Date.parse(a.createdAt) - Date.parse(b.createdAt);
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function insertMessage(log: Log, message: Message): Log {
  if (log.messages.some((m) => m.id === message.id)) return log;
  const messages = [...log.messages, message].sort(compareMessages);
  return { ...log, messages };
}

/** Replaces the newest part of the log with a fresh newest page (after a reconnect). */
function mergeNewest(log: Log, fresh: Message[], nextCursor: string | undefined): Log {
  const oldestFresh = fresh[0];
  if (nextCursor === undefined || !oldestFresh) return { messages: fresh, cursor: nextCursor };
  const freshIds = new Set(fresh.map((m) => m.id));
  const older = log.messages.filter((m) => !freshIds.has(m.id) && compareMessages(m, oldestFresh) < 0);
  return { messages: [...older, ...fresh], cursor: older.length > 0 ? log.cursor : nextCursor };
}

/**
 * Messages that arrived live while a page was being fetched are newer than that page: keep them,
 * or a message sent during the fetch would vanish until the next reload.
 */
function withLiveNewer(merged: Log, current: Log, fresh: Message[], threadId: string): Log {
  const newestFresh = fresh[fresh.length - 1];
  const known = new Set(merged.messages.map((m) => m.id));
  const newer = current.messages.filter(
    (m) =>
      m.threadId === threadId && !known.has(m.id) && (!newestFresh || compareMessages(m, newestFresh) > 0),
  );
  return newer.length ? { ...merged, messages: [...merged.messages, ...newer] } : merged;
}

type Props = {
  threadId: string;
  /** The conversation was marked read up to its newest message. */
  onRead: (threadId: string) => void;
  /** A message this person sent from here. */
  onMessage: (message: Message) => void;
  /** Something the conversation list shows may have changed (e.g. a deletion). */
  onThreadChanged: () => void;
};

type Status =
  { kind: 'loading' } | { kind: 'ready' } | { kind: 'not-found' } | { kind: 'error'; message: string };

export function Conversation({ threadId, onRead, onMessage, onThreadChanged }: Props) {
  const { me } = useSession();
  const [detail, setDetail] = useState<ThreadDetail | null>(null);
  const [log, setLog] = useState<Log>({ messages: [], cursor: undefined });
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  const [actionError, setActionError] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [hasNewBelow, setHasNewBelow] = useState(false);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const scrollIntent = useRef<'bottom' | { height: number; top: number } | null>('bottom');
  const markedRef = useRef<string | null>(null);

  const load = useCallback(
    (mode: 'initial' | 'refresh') => {
      Promise.all([api.thread(threadId), api.messages(threadId, { limit: PAGE_SIZE })])
        .then(([thread, page]) => {
          const fresh = [...page.items].reverse();
          setDetail(thread);
          if (mode === 'initial') {
            scrollIntent.current = 'bottom';
            setLog((current) =>
              withLiveNewer({ messages: fresh, cursor: page.nextCursor }, current, fresh, threadId),
            );
          } else {
            if (isNearBottom(scrollerRef.current)) scrollIntent.current = 'bottom';
            setLog((current) =>
              withLiveNewer(mergeNewest(current, fresh, page.nextCursor), current, fresh, threadId),
            );
          }
          setStatus({ kind: 'ready' });
        })
        .catch((error: unknown) => {
          if (error instanceof ApiError && (error.status === 404 || error.code === 'thread_not_found')) {
            setStatus({ kind: 'not-found' });
          } else if (mode === 'initial') {
            setStatus({ kind: 'error', message: errorMessage(error) });
          }
        });
    },
    [threadId],
  );

  useEffect(() => load('initial'), [load]);

  useLiveEvents((event) => {
    switch (event.type) {
      case 'hello':
        load('refresh');
        break;
      case 'message.created':
        if (event.message.threadId !== threadId) break;
        if (event.message.author.id === me.id || isNearBottom(scrollerRef.current)) {
          scrollIntent.current = 'bottom';
        } else {
          setHasNewBelow(true);
        }
        setLog((current) => insertMessage(current, event.message));
        break;
      case 'message.deleted':
        if (event.threadId !== threadId) break;
        setLog((current) => ({
          ...current,
          messages: current.messages.filter((m) => m.id !== event.messageId),
        }));
        break;
      case 'thread.read':
        if (event.threadId !== threadId) break;
        setDetail((current) => current && withMarker(current, event.userId, event.messageId));
        break;
      case 'thread.apps_changed':
        if (event.threadId !== threadId) break;
        api
          .thread(threadId)
          .then(setDetail)
          .catch(() => undefined);
        break;
      case 'thread.created':
      case 'friends.changed':
        break;
    }
  });

  // Mark read whenever the newest message shown changes (docs/API.md: markers only move
  // forward, so a late or repeated call is harmless).
  const newest = log.messages[log.messages.length - 1];
  const myMarker = detail?.readMarkers.find((m) => m.userId === me.id)?.messageId;
  const isReady = detail !== null;
  useEffect(() => {
    if (!isReady || !newest || newest.id === myMarker || markedRef.current === newest.id) return;
    markedRef.current = newest.id;
    const messageId = newest.id;
    api
      .markRead(threadId, messageId)
      .then(() => {
        setDetail((current) => current && withMarker(current, me.id, messageId));
        onRead(threadId);
      })
      .catch(() => {
        markedRef.current = null;
      });
  }, [isReady, newest, myMarker, threadId, me.id, onRead]);

  useLayoutEffect(() => {
    const el = scrollerRef.current;
    const intent = scrollIntent.current;
    if (!el || !intent) return;
    scrollIntent.current = null;
    if (intent === 'bottom') {
      el.scrollTop = el.scrollHeight;
      setHasNewBelow(false);
    } else {
      el.scrollTop = el.scrollHeight - intent.height + intent.top;
    }
  }, [log, status]);

  // Keep the newest message in view when the scroller shrinks or grows (the card form
  // opening, the window resizing, an image loading) if the person was reading at the bottom.
  const stickToBottom = useRef(true);
  useEffect(() => {
    const el = scrollerRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (stickToBottom.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    const list = el.querySelector('.message-list');
    if (list) observer.observe(list);
    return () => observer.disconnect();
  }, []);

  function loadOlder() {
    if (!log.cursor || loadingOlder) return;
    const before = log.cursor;
    setLoadingOlder(true);
    api
      .messages(threadId, { before, limit: PAGE_SIZE })
      .then((page) => {
        const el = scrollerRef.current;
        if (el) scrollIntent.current = { height: el.scrollHeight, top: el.scrollTop };
        setLog((current) => {
          const known = new Set(current.messages.map((m) => m.id));
          const older = [...page.items].reverse().filter((m) => !known.has(m.id));
          return { messages: [...older, ...current.messages], cursor: page.nextCursor };
        });
      })
      .catch((error: unknown) => setActionError(errorMessage(error)))
      .finally(() => setLoadingOlder(false));
  }

  function deleteMessage(message: Message) {
    if (!window.confirm('Delete this message for everyone in the conversation?')) return;
    setActionError(null);
    api
      .deleteMessage(message.id)
      .then(() => {
        setLog((current) => ({ ...current, messages: current.messages.filter((m) => m.id !== message.id) }));
        onThreadChanged();
      })
      .catch((error: unknown) => setActionError(errorMessage(error)));
  }

  function removeApp(clientId: string, name: string) {
    if (!window.confirm(`Remove ${name} from this conversation? It will no longer be able to read it.`))
      return;
    setActionError(null);
    api
      .removeThreadApp(threadId, clientId)
      .then(() => load('refresh'))
      .catch((error: unknown) => setActionError(errorMessage(error)));
  }

  function sent(message: Message) {
    scrollIntent.current = 'bottom';
    setLog((current) => insertMessage(current, message));
    onMessage(message);
  }

  // "Seen by" goes under my latest message that a person has read, unless they wrote after
  // it (their reply already says they saw it). Markers on other messages say nothing new.
  const seenBy = useMemo(() => {
    const names = new Map<string, string[]>();
    if (!detail) return names;
    const position = new Map(log.messages.map((m, i) => [m.id, i]));
    for (const marker of detail.readMarkers) {
      if (marker.userId === me.id) continue;
      const reader = detail.participants.find((p) => p.id === marker.userId);
      const readUpTo = position.get(marker.messageId);
      if (!reader || readUpTo === undefined) continue;
      let mine = readUpTo;
      while (mine >= 0 && log.messages[mine]?.author.id !== me.id) mine--;
      const target = log.messages[mine];
      if (!target) continue;
      const repliedAfter = log.messages.slice(mine + 1).some((m) => m.author.id === reader.id);
      if (repliedAfter) continue;
      names.set(target.id, [...(names.get(target.id) ?? []), reader.displayName]);
    }
    return names;
  }, [detail, log.messages, me.id]);

  if (status.kind === 'not-found') {
    return (
      <div className="conversation-empty">
        <h2>Conversation not found</h2>
        <p>It does not exist, or you are not in it.</p>
        <Link to="/">Back to your conversations</Link>
      </div>
    );
  }

  const label = detail ? threadLabel(detail, me.id) : status.kind === 'error' ? 'Conversation' : 'Loading…';
  const others = detail?.participants.filter((p) => p.id !== me.id) ?? [];

  return (
    <div className="conversation">
      <header className="conversation-header">
        <Link to="/" className="back-link">
          <span aria-hidden="true">←</span> All conversations
        </Link>
        <div className="conversation-heading">
          <h2>{label}</h2>
          {detail && (
            <p className="muted small">
              {detail.kind === 'group'
                ? listNames(['You', ...others.map((p) => p.displayName)])
                : others.map((p) => `@${p.username}`).join(', ')}
            </p>
          )}
        </div>
      </header>

      {detail && detail.apps.length > 0 && (
        <ul className="apps-notice" aria-label="Apps in this conversation">
          {detail.apps.map((app) => (
            <li key={app.clientId}>
              <span>
                <strong>{app.name}</strong> can read this conversation — connected by{' '}
                {app.connectedBy.displayName}
                {app.connectedBy.id === me.id && ' (you)'}
              </span>
              <button type="button" className="link-button" onClick={() => removeApp(app.clientId, app.name)}>
                Remove {app.name}
              </button>
            </li>
          ))}
        </ul>
      )}

      <div
        className="message-scroller"
        ref={scrollerRef}
        onScroll={(e) => {
          const atBottom = isNearBottom(e.currentTarget);
          stickToBottom.current = atBottom;
          if (hasNewBelow && atBottom) setHasNewBelow(false);
        }}
      >
        {status.kind === 'loading' && (
          <p className="muted center" role="status">
            Loading messages…
          </p>
        )}
        {status.kind === 'error' && (
          <div className="load-error center" role="alert">
            <p>{status.message}</p>
            <button type="button" className="button small" onClick={() => load('initial')}>
              Try again
            </button>
          </div>
        )}
        {status.kind === 'ready' &&
          (log.cursor ? (
            <div className="load-older">
              <button
                type="button"
                className="button subtle small"
                onClick={loadOlder}
                disabled={loadingOlder}
              >
                {loadingOlder ? 'Loading…' : 'Load older'}
              </button>
            </div>
          ) : (
            <p className="thread-start muted small">
              {log.messages.length === 0
                ? 'No messages yet. Say hello!'
                : 'This is the start of the conversation.'}
            </p>
          ))}
        <ol className="message-list" aria-live="polite" aria-relevant="additions text">
          {log.messages.map((message) => (
            <MessageItem
              key={message.id}
              message={message}
              isMine={message.author.id === me.id}
              seenBy={seenBy.get(message.id)}
              onDelete={deleteMessage}
            />
          ))}
        </ol>
      </div>

      {hasNewBelow && (
        <button
          type="button"
          className="button primary small new-below"
          onClick={() => {
            const el = scrollerRef.current;
            if (el) el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
            setHasNewBelow(false);
          }}
        >
          New messages below <span aria-hidden="true">↓</span>
        </button>
      )}

      {actionError && (
        <p className="form-error inset" role="alert">
          {actionError}
        </p>
      )}

      <Composer threadId={threadId} disabled={status.kind !== 'ready'} onSent={sent} />
    </div>
  );
}

function isNearBottom(el: HTMLElement | null): boolean {
  if (!el) return true;
  return el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
}

function withMarker(detail: ThreadDetail, userId: string, messageId: string): ThreadDetail {
  const others = detail.readMarkers.filter((m) => m.userId !== userId);
  return { ...detail, readMarkers: [...others, { userId, messageId }] };
}

function MessageItem({
  message,
  isMine,
  seenBy,
  onDelete,
}: {
  message: Message;
  isMine: boolean;
  seenBy: string[] | undefined;
  onDelete: (message: Message) => void;
}) {
  return (
    <li data-testid="message" className={`message${isMine ? ' mine' : ''}`}>
      <div className="bubble">
        <div className="message-meta">
          <span className="message-author">{message.author.displayName}</span>
          {message.via && (
            <span className="via-tag" title={`Sent through ${message.via.name}, an app connected to Parley`}>
              via {message.via.name}
            </span>
          )}
          <time className="message-time" dateTime={message.createdAt} title={formatFull(message.createdAt)}>
            {formatMessageTime(message.createdAt)}
          </time>
        </div>
        {message.text !== null && message.text !== '' && <p className="message-text">{message.text}</p>}
        {message.card && <MessageCard card={message.card} />}
      </div>
      {(isMine || seenBy) && (
        <div className="message-footer">
          {seenBy && <span className="seen">Seen by {listNames(seenBy)}</span>}
          {isMine && (
            <button type="button" className="link-button delete-button" onClick={() => onDelete(message)}>
              Delete<span className="visually-hidden"> message</span>
            </button>
          )}
        </div>
      )}
    </li>
  );
}
