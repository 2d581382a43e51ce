import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage, type Message, type Thread, type ThreadDetail } from '../api';
import { Avatar } from '../components/Avatar';
import { Conversation } from '../components/Conversation';
import { NewConversation } from '../components/NewConversation';
import { cardKindLabel } from '../components/MessageCard';
import { formatShort, threadLabel } from '../format';
import { useDocumentTitle } from '../hooks';
import { useLiveEvents } from '../live';
import { Link, navigate } from '../router';
import { useSession } from '../session';

const PAGE_SIZE = 30;

type ThreadList = { items: Thread[]; nextCursor: string | undefined };

/** Puts a fresh first page in front of the older pages already shown. */
function mergeFirstPage(
  current: ThreadList | null,
  page: { items: Thread[]; nextCursor?: string },
): ThreadList {
  const last = page.items[page.items.length - 1];
  if (!current || page.nextCursor === undefined || !last) {
    return { items: page.items, nextCursor: page.nextCursor };
  }
  const inPage = new Set(page.items.map((t) => t.id));
  const older = current.items.filter((t) => !inPage.has(t.id) && t.updatedAt < last.updatedAt);
  return {
    items: [...page.items, ...older],
    nextCursor: older.length > 0 ? current.nextCursor : page.nextCursor,
  };
}

function withMessage(list: ThreadList, message: Message, countsAsUnread: boolean): ThreadList | null {
  const thread = list.items.find((t) => t.id === message.threadId);
  if (!thread) return null;
  if (thread.lastMessage && thread.lastMessage.createdAt > message.createdAt) return list;
  const isNew = thread.lastMessage?.id !== message.id;
  const updated: Thread = {
    ...thread,
    lastMessage: message,
    updatedAt: message.createdAt,
    unreadCount: thread.unreadCount + (isNew && countsAsUnread ? 1 : 0),
  };
  return { ...list, items: [updated, ...list.items.filter((t) => t.id !== thread.id)] };
}

export function MessengerPage({ threadId }: { threadId: string | null }) {
  const { me } = useSession();
  const [list, setList] = useState<ThreadList | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [composing, setComposing] = useState(false);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const activeRef = useRef(threadId);
  activeRef.current = threadId;

  const refresh = useCallback(() => {
    api
      .threads({ limit: PAGE_SIZE })
      .then((page) => {
        setList((current) => mergeFirstPage(current, page));
        setListError(null);
      })
      .catch((e: unknown) => setListError(errorMessage(e)));
  }, []);

  /** Several events often arrive together (a read right after a message): refetch once. */
  const refreshSoon = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(refresh, 150);
  }, [refresh]);

  useEffect(() => {
    refresh();
    return () => clearTimeout(refreshTimer.current);
  }, [refresh]);

  const listRef = useRef(list);
  listRef.current = list;

  const applyMessage = useCallback(
    (message: Message) => {
      if (!listRef.current?.items.some((t) => t.id === message.threadId)) {
        refreshSoon();
        return;
      }
      const countsAsUnread = message.author.id !== me.id && message.threadId !== activeRef.current;
      setList((current) => (current ? (withMessage(current, message, countsAsUnread) ?? current) : current));
    },
    [me.id, refreshSoon],
  );

  useLiveEvents((event) => {
    switch (event.type) {
      case 'hello':
      case 'thread.created':
        refreshSoon();
        break;
      case 'message.created':
        applyMessage(event.message);
        break;
      case 'message.deleted':
        refreshSoon();
        break;
      case 'thread.read':
        if (event.userId === me.id) refreshSoon();
        break;
      case 'thread.apps_changed':
      case 'friends.changed':
        break;
    }
  });

  const onRead = useCallback((id: string) => {
    setList((current) =>
      current
        ? { ...current, items: current.items.map((t) => (t.id === id ? { ...t, unreadCount: 0 } : t)) }
        : current,
    );
  }, []);

  const onThreadChanged = useCallback(() => refreshSoon(), [refreshSoon]);

  function loadMore() {
    if (!list?.nextCursor) return;
    setLoadingMore(true);
    api
      .threads({ before: list.nextCursor, limit: PAGE_SIZE })
      .then((page) =>
        setList((current) => {
          const known = new Set(current?.items.map((t) => t.id));
          return {
            items: [...(current?.items ?? []), ...page.items.filter((t) => !known.has(t.id))],
            nextCursor: page.nextCursor,
          };
        }),
      )
      .catch((e: unknown) => setListError(errorMessage(e)))
      .finally(() => setLoadingMore(false));
  }

  function onCreated(thread: ThreadDetail) {
    setComposing(false);
    setList((current) =>
      current && !current.items.some((t) => t.id === thread.id)
        ? { ...current, items: [thread, ...current.items] }
        : current,
    );
    refreshSoon();
    navigate(`/t/${encodeURIComponent(thread.id)}`);
  }

  const active = list?.items.find((t) => t.id === threadId);
  useDocumentTitle(active ? threadLabel(active, me.id) : 'Messages');

  return (
    <div className="messenger" data-view={threadId ? 'thread' : 'list'}>
      <aside className="thread-pane" aria-labelledby="conversations-heading">
        <div className="pane-header">
          <h1 id="conversations-heading">Conversations</h1>
          <button
            type="button"
            className="button primary small"
            aria-expanded={composing}
            aria-controls="new-conversation"
            onClick={() => setComposing((open) => !open)}
          >
            New conversation
          </button>
        </div>
        {composing && (
          <NewConversation id="new-conversation" onCreated={onCreated} onCancel={() => setComposing(false)} />
        )}
        {listError && (
          <div className="load-error" role="alert">
            <p>{listError}</p>
            <button type="button" className="button small" onClick={refresh}>
              Try again
            </button>
          </div>
        )}
        {!list && !listError && (
          <p className="muted pad" role="status">
            Loading conversations…
          </p>
        )}
        {list && list.items.length === 0 && (
          <div className="empty-list">
            <p>No conversations yet.</p>
            <p className="muted small">
              Start one with “New conversation”, or <Link to="/friends">find people</Link> to talk to first.
            </p>
          </div>
        )}
        {list && (
          <ul aria-label="Conversations" className="thread-list">
            {list.items.map((thread) => (
              <ThreadItem key={thread.id} thread={thread} meId={me.id} isActive={thread.id === threadId} />
            ))}
          </ul>
        )}
        {list?.nextCursor && (
          <button type="button" className="button subtle wide" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more conversations'}
          </button>
        )}
      </aside>

      <section className="conversation-pane">
        {threadId ? (
          <Conversation
            key={threadId}
            threadId={threadId}
            onRead={onRead}
            onMessage={applyMessage}
            onThreadChanged={onThreadChanged}
          />
        ) : (
          <div className="conversation-empty">
            <p>Pick a conversation, or start a new one.</p>
          </div>
        )}
      </section>
    </div>
  );
}

function preview(thread: Thread, meId: string): string {
  const message = thread.lastMessage;
  if (!message) return 'No messages yet';
  const who =
    message.author.id === meId ? 'You: ' : thread.kind === 'group' ? `${message.author.displayName}: ` : '';
  if (message.text) return who + message.text;
  if (message.card) return `${who}${cardKindLabel(message.card.kind)}: ${message.card.title}`;
  return `${who}…`;
}

function ThreadItem({ thread, meId, isActive }: { thread: Thread; meId: string; isActive: boolean }) {
  const label = threadLabel(thread, meId);
  const unread = isActive ? 0 : thread.unreadCount;
  const others = thread.participants.filter((p) => p.id !== meId);
  const face = others[0] ?? thread.participants[0];
  return (
    <li>
      <Link
        to={`/t/${encodeURIComponent(thread.id)}`}
        className={`thread-item${unread > 0 ? ' unread' : ''}`}
        aria-current={isActive ? 'page' : undefined}
      >
        {face &&
          (thread.kind === 'group' && others.length > 1 ? (
            <GroupAvatar count={others.length} />
          ) : (
            <Avatar user={face} />
          ))}
        <span className="thread-text">
          <span className="thread-top">
            <span className="thread-label">{label}</span>
            <time className="thread-time" dateTime={thread.updatedAt}>
              {formatShort(thread.updatedAt)}
            </time>
          </span>
          <span className="thread-bottom">
            <span className="thread-preview">{preview(thread, meId)}</span>
            {unread > 0 && (
              <span className="badge">
                {unread > 99 ? '99+' : unread}
                <span className="visually-hidden"> unread</span>
              </span>
            )}
          </span>
        </span>
      </Link>
    </li>
  );
}

function GroupAvatar({ count }: { count: number }) {
  return (
    <span className="avatar md group" aria-hidden="true">
      {count + 1}
    </span>
  );
}
