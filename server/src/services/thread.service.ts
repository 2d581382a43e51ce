// Conversations and messages: create, list, read in pages, send, delete, read markers.
// Each use-case asks `authorize` once, writes in one transaction, and publishes its live
// events only after the commit.
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { authorize, type Actor, type ThreadFacts } from '../policy/authorize.js';
import type { Delivery } from '../realtime/events.js';
import { isUniqueViolation } from '../storage/database.js';
import type { Repositories } from '../storage/repositories/index.js';
import type { ThreadPageCursor, ThreadRow } from '../storage/repositories/thread.repository.js';
import type { ServiceDeps } from './deps.js';
import { insufficientScope, must } from './guard.js';
import type { AppActor } from './partner-auth.service.js';
import { accessOf } from './transparency.service.js';
import {
  messageView,
  userView,
  type Card,
  type MessageView,
  type ThreadDetailView,
  type ThreadView,
  type UserView,
} from './views.js';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export const MAX_TEXT_LENGTH = 10_000;

function encodeThreadCursor(row: ThreadRow): string {
  return Buffer.from(JSON.stringify([row.last_activity_at, row.id])).toString('base64url');
}

function decodeThreadCursor(cursor: string): ThreadPageCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return { lastActivityAt: value[0] as string, id: value[1] as string };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('invalid_cursor', 'Use the nextCursor of a previous page.');
}

const threadNotFound = () => new AppError('thread_not_found');

export function createThreadService(
  deps: ServiceDeps & {
    /** The apps that can read a conversation (from the partner platform), for every participant to see. */
    appsOnThread?: (threadId: string) => Promise<ThreadDetailView['apps']>;
  },
) {
  const { storage, bus, clock } = deps;

  async function factsOrNotFound(repos: Repositories, threadId: string) {
    const facts = await repos.threads.facts(threadId);
    if (!facts) throw threadNotFound();
    return facts;
  }

  /** Views of several threads for one person, in a fixed number of queries (no N+1). */
  async function threadViews(userId: string, rows: readonly ThreadRow[]): Promise<ThreadView[]> {
    const ids = rows.map((r) => r.id);
    const [participants, latest, unread] = await Promise.all([
      storage.repos.threads.participantsOf(ids),
      storage.repos.messages.latestOf(ids),
      storage.repos.threads.unreadCounts(userId, ids),
    ]);
    const participantsByThread = new Map<string, UserView[]>();
    for (const p of participants) {
      const list = participantsByThread.get(p.thread_id) ?? [];
      list.push(userView(p));
      participantsByThread.set(p.thread_id, list);
    }
    const latestByThread = new Map(latest.map((m) => [m.thread_id, messageView(m)]));
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: row.title,
      participants: participantsByThread.get(row.id) ?? [],
      lastMessage: latestByThread.get(row.id) ?? null,
      unreadCount: unread.get(row.id) ?? 0,
      createdAt: row.created_at,
      updatedAt: row.last_activity_at,
    }));
  }

  async function detail(userId: string, row: ThreadRow): Promise<ThreadDetailView> {
    const [[view], markers, apps] = await Promise.all([
      threadViews(userId, [row]),
      storage.repos.threads.readMarkers(row.id),
      deps.appsOnThread?.(row.id) ?? Promise.resolve([]),
    ]);
    if (!view) throw threadNotFound();
    return {
      ...view,
      readMarkers: markers.flatMap((m) =>
        m.last_read_message_id === null ? [] : [{ userId: m.user_id, messageId: m.last_read_message_id }],
      ),
      apps,
    };
  }

  function checkedText(input: { text?: string | undefined; card?: Card | undefined }): string | null {
    const text = input.text?.trim() ? input.text : null;
    if (text === null && !input.card)
      throw new AppError('invalid_request', 'A message needs text or a card.');
    return text;
  }

  /**
   * The message row, the conversation's activity, the writer's read marker and the partner
   * webhooks it causes, in the caller's transaction. Returns the message as people see it.
   */
  async function insertMessage(
    repos: Repositories,
    actor: Actor,
    thread: { id: string } & ThreadFacts,
    message: { id: string; text: string | null; card: Card | undefined; viaClientId?: string },
  ): Promise<MessageView> {
    const now = clock.now().toISOString();
    await repos.messages.insert({
      id: message.id,
      thread_id: thread.id,
      author_id: actor.userId,
      text: message.text,
      card: message.card ? JSON.stringify(message.card) : null,
      via_client_id: actor.kind === 'app' ? actor.clientId : (message.viaClientId ?? null),
      created_at: now,
    });
    await repos.threads.touchActivity(thread.id, now);
    // Whoever writes has read everything up to their own message.
    await repos.threads.advanceReadMarker(thread.id, actor.userId, message.id);
    const row = await repos.messages.findById(message.id);
    if (!row) throw new AppError('message_not_found');
    const view = messageView(row);
    if (actor.kind === 'app') {
      // The message goes to everyone in the conversation: they are its data subjects.
      await deps.accessLog.record(repos, {
        ...accessOf(actor, 'app_message.send'),
        resources: { threadIds: [thread.id], messageIds: [message.id] },
        subjects: [actor.userId, ...thread.memberIds],
      });
    }
    await deps.webhooks.messageCreated(repos, view, thread);
    return view;
  }

  /** After commit: the message goes live to the conversation's members. */
  function publishCreated(message: MessageView, members: ReadonlySet<string>): MessageView {
    bus.publish([{ recipients: [...members], event: { type: 'message.created', message } }]);
    return message;
  }

  /** The conversation started through an app between two people, created on first use. */
  async function appThreadWith(
    repos: Repositories,
    userId: string,
    friendId: string,
    clientId: string,
  ): Promise<ThreadRow> {
    const directKey = `${clientId}|${[userId, friendId].sort().join(':')}`;
    const existing = await repos.threads.findByDirectKey(directKey);
    if (existing) return existing;
    const now = clock.now().toISOString();
    const thread: ThreadRow = {
      id: newId(),
      kind: 'direct',
      title: null,
      created_by: userId,
      created_at: now,
      last_activity_at: now,
      direct_key: directKey,
      origin_client_id: clientId,
    };
    await repos.threads.insert(
      thread,
      [userId, friendId].map((memberId) => ({
        thread_id: thread.id,
        user_id: memberId,
        joined_at: now,
        last_read_message_id: null,
      })),
    );
    return thread;
  }

  return {
    async list(actor: Actor, options: { before?: string; limit: number }): Promise<Page<ThreadView>> {
      must(actor, 'thread.list', { kind: 'account', userId: actor.userId }, threadNotFound);
      const before = options.before === undefined ? undefined : decodeThreadCursor(options.before);
      const rows = await storage.repos.threads.listForMember(actor.userId, options.limit + 1, before);
      const page = rows.slice(0, options.limit);
      const items = await threadViews(actor.userId, page);
      const last = page.at(-1);
      return rows.length > options.limit && last
        ? { items, nextCursor: encodeThreadCursor(last) }
        : { items };
    },

    async get(actor: Actor, threadId: string): Promise<ThreadDetailView> {
      const facts = await factsOrNotFound(storage.repos, threadId);
      must(actor, 'thread.read', { kind: 'thread', ...facts }, threadNotFound);
      const row = await storage.repos.threads.findById(threadId);
      if (!row) throw threadNotFound();
      return detail(actor.userId, row);
    },

    /** Returns the conversation and whether it was created (false: the existing one-to-one). */
    async create(
      actor: Actor,
      input: { participants: readonly string[]; title?: string | undefined },
    ): Promise<{ thread: ThreadDetailView; isNew: boolean }> {
      const others = [...new Set(input.participants)].filter((id) => id !== actor.userId);
      if (others.length === 0) {
        throw new AppError('invalid_request', 'Add at least one friend to the conversation.');
      }
      const friendIds = await storage.repos.friends.friendIdsAmong(actor.userId, others);
      must(
        actor,
        'thread.create',
        { kind: 'new_thread', participantIds: others, friendIds },
        () => new AppError('not_friends', 'Everyone in a new conversation must be your friend.'),
      );
      const title = input.title?.trim() || null;
      const isDirect = others.length === 1 && title === null;
      const directKey = isDirect ? [actor.userId, ...others].sort().join(':') : null;
      if (directKey) {
        const existing = await storage.repos.threads.findByDirectKey(directKey);
        if (existing) return { thread: await detail(actor.userId, existing), isNew: false };
      } else if (title === null) {
        throw new AppError('invalid_request', 'A group conversation needs a title.');
      }
      const now = clock.now().toISOString();
      const row: ThreadRow = {
        id: newId(),
        kind: isDirect ? 'direct' : 'group',
        title,
        created_by: actor.userId,
        created_at: now,
        last_activity_at: now,
        direct_key: directKey,
        origin_client_id: null,
      };
      const members = [actor.userId, ...others].map((userId) => ({
        thread_id: row.id,
        user_id: userId,
        joined_at: now,
        last_read_message_id: null,
      }));
      try {
        await storage.transaction((repos) => repos.threads.insert(row, members));
      } catch (error) {
        // Both people opened the same one-to-one at once: the other insert won.
        const existing =
          directKey && isUniqueViolation(error) && (await storage.repos.threads.findByDirectKey(directKey));
        if (existing) return { thread: await detail(actor.userId, existing), isNew: false };
        throw error;
      }
      bus.publish([{ recipients: others, event: { type: 'thread.created', threadId: row.id } }]);
      return { thread: await detail(actor.userId, row), isNew: true };
    },

    async listMessages(
      actor: Actor,
      threadId: string,
      options: { before?: string; limit: number },
    ): Promise<Page<MessageView>> {
      const facts = await factsOrNotFound(storage.repos, threadId);
      must(
        actor,
        actor.kind === 'app' ? 'app_thread.read' : 'thread.read',
        { kind: 'thread', ...facts },
        (reason) =>
          reason === 'scope_missing' ? insufficientScope('reading this conversation') : threadNotFound(),
      );
      const rows = await storage.repos.messages.listPage(threadId, options.limit + 1, options.before);
      if (actor.kind === 'app') {
        // Log before respond: exactly the page returned, and whose words are in it.
        const read = rows.slice(0, options.limit);
        await deps.accessLog.recordAlone({
          ...accessOf(actor, 'app_thread.read'),
          resources: { threadIds: [threadId], messageIds: read.map((m) => m.id) },
          subjects: [actor.userId, ...read.map((m) => m.author_id)],
        });
      }
      const page = rows.slice(0, options.limit);
      const items = page.map(messageView);
      const last = page.at(-1);
      return rows.length > options.limit && last ? { items, nextCursor: last.id } : { items };
    },

    /** Sends in an existing conversation: as the person, or as an app for them ("via App"). */
    async send(
      actor: Actor,
      threadId: string,
      input: { text?: string | undefined; card?: Card | undefined },
    ): Promise<MessageView> {
      const text = checkedText(input);
      const id = newId();
      const { message, members } = await storage.transaction(async (repos) => {
        const facts = await factsOrNotFound(repos, threadId);
        must(
          actor,
          actor.kind === 'app' ? 'app_thread.post' : 'thread.post',
          { kind: 'thread', ...facts },
          (reason) =>
            reason === 'scope_missing' ? insufficientScope('posting in this conversation') : threadNotFound(),
        );
        const view = await insertMessage(repos, actor, facts, { id, text, card: input.card });
        return { message: view, members: facts.memberIds };
      });
      return publishCreated(message, members);
    },

    /**
     * messages.send to a friend the person picked: into the conversation started through this
     * app with that friend (created on first use), so messages.read reaches it and nothing else.
     */
    async sendToFriend(
      actor: AppActor,
      friendId: string,
      input: { text?: string | undefined; card?: Card | undefined },
    ): Promise<MessageView> {
      const text = checkedText(input);
      const notFound = () =>
        new AppError('recipient_not_found', 'Send to a friend of the person, or to a conversation id.');
      const isFriend = await storage.repos.friends.areFriends(actor.userId, friendId);
      must(
        actor,
        'app_message.send',
        { kind: 'friend', ownerId: actor.userId, isFriend, connectedClientIds: new Set() },
        (reason) => (reason === 'scope_missing' ? insufficientScope('sending messages') : notFound()),
      );
      const id = newId();
      const { message, members } = await storage.transaction(async (repos) => {
        const thread = await appThreadWith(repos, actor.userId, friendId, actor.clientId);
        const facts = await factsOrNotFound(repos, thread.id);
        // The conversation exists now; posting in it is one more decision (a participant may have removed the app).
        must(actor, 'app_thread.post', { kind: 'thread', ...facts }, notFound);
        const view = await insertMessage(repos, actor, facts, { id, text, card: input.card });
        return { message: view, members: facts.memberIds };
      });
      return publishCreated(message, members);
    },

    /**
     * The share dialog (DESIGN.md "Partner API"): on a Parley page the person picks friends and
     * Parley sends the app's card "via" it, in the app's conversation with each friend. The app
     * never sees the friend list and needs no scope for this.
     */
    async share(
      actor: Actor,
      input: {
        clientId: string;
        friendIds: readonly string[];
        card: Card;
        text?: string | undefined;
        /** Where "Back to the app" leads: one of the app's registered redirect URIs, exactly. */
        redirectUri?: string | undefined;
        state?: string | undefined;
      },
    ): Promise<{ items: MessageView[]; returnTo?: string }> {
      const friendIds = [...new Set(input.friendIds)].filter((id) => id !== actor.userId);
      if (friendIds.length === 0) throw new AppError('invalid_request', 'Pick at least one friend.');
      const app = await storage.repos.apps.find(input.clientId);
      if (!app) throw new AppError('app_not_found');
      if (
        input.redirectUri !== undefined &&
        !(JSON.parse(app.redirect_uris) as string[]).includes(input.redirectUri)
      ) {
        throw new AppError('invalid_request', `${app.name} did not register this return address.`);
      }
      const friendSet = await storage.repos.friends.friendIdsAmong(actor.userId, friendIds);
      must(
        actor,
        'thread.create',
        { kind: 'new_thread', participantIds: friendIds, friendIds: friendSet },
        () => new AppError('not_friends', 'You can share only with your friends.'),
      );
      const text = input.text?.trim() ? input.text : null;
      const sent = await storage.transaction(async (repos) => {
        const results: { message: MessageView; members: ReadonlySet<string> }[] = [];
        for (const friendId of friendIds) {
          const thread = await appThreadWith(repos, actor.userId, friendId, input.clientId);
          const facts = await factsOrNotFound(repos, thread.id);
          must(actor, 'thread.post', { kind: 'thread', ...facts }, threadNotFound);
          const message = await insertMessage(repos, actor, facts, {
            id: newId(),
            text,
            card: input.card,
            viaClientId: input.clientId,
          });
          results.push({ message, members: facts.memberIds });
        }
        return results;
      });
      const items = sent.map(({ message, members }) => publishCreated(message, members));
      if (input.redirectUri === undefined) return { items };
      // The app learns what it sent (ids it may post to and delete with messages.send), never who.
      const returnTo = new URL(input.redirectUri);
      if (input.state !== undefined) returnTo.searchParams.set('state', input.state);
      returnTo.searchParams.set('threads', items.map((m) => m.threadId).join(','));
      returnTo.searchParams.set('messages', items.map((m) => m.id).join(','));
      return { items, returnTo: returnTo.href };
    },

    /** Whether an id names a conversation (the partner API's `to` is a person or a conversation). */
    async exists(id: string): Promise<boolean> {
      return (await storage.repos.threads.findById(id)) !== undefined;
    },

    /** Conversations the app may read for this person (the rule of authorize as a filter). */
    async listForApp(actor: AppActor, options: { limit: number }): Promise<ThreadView[]> {
      // Without a scope that reads conversations, the answer is "not allowed", not "none".
      must(actor, 'app_thread.list', { kind: 'account', userId: actor.userId }, () =>
        insufficientScope('listing conversations'),
      );
      const candidates = await storage.repos.threads.candidatesForApp(actor.userId, actor.clientId, [
        ...actor.grant.selectedThreadIds,
      ]);
      const readable: ThreadRow[] = [];
      for (const row of candidates) {
        const facts = await storage.repos.threads.facts(row.id);
        if (facts && authorize(actor, 'app_thread.list', { kind: 'thread', ...facts }).allow)
          readable.push(row);
        if (readable.length >= options.limit) break;
      }
      const views = await threadViews(actor.userId, readable);
      await deps.accessLog.recordAlone({
        ...accessOf(actor, 'app_thread.list'),
        resources: {
          threadIds: views.map((v) => v.id),
          messageIds: views.flatMap((v) => (v.lastMessage ? [v.lastMessage.id] : [])),
        },
        subjects: [
          actor.userId,
          ...views.flatMap((v) => [
            ...v.participants.map((p) => p.id),
            ...(v.lastMessage ? [v.lastMessage.author.id] : []),
          ]),
        ],
      });
      return views;
    },

    async deleteMessage(actor: Actor, messageId: string): Promise<void> {
      const notFound = new AppError('message_not_found');
      const { threadId, members } = await storage.transaction(async (repos) => {
        const message = await repos.messages.findById(messageId);
        if (!message) throw notFound;
        const thread = await factsOrNotFound(repos, message.thread_id);
        must(
          actor,
          actor.kind === 'app' ? 'app_message.delete' : 'message.delete',
          { kind: 'message', authorId: message.author_id, viaClientId: message.via_client_id, thread },
          (reason) =>
            reason === 'not_author' ||
            // An app learns that someone else's message exists only where it may read it.
            (reason === 'not_sent_by_app' &&
              actor.kind === 'app' &&
              authorize(actor, 'app_thread.read', { kind: 'thread', ...thread }).allow)
              ? new AppError(
                  'not_message_author',
                  actor.kind === 'app' ? 'An app can delete only messages it sent.' : undefined,
                )
              : reason === 'scope_missing'
                ? insufficientScope('deleting messages')
                : notFound,
        );
        await repos.messages.delete(messageId);
        if (actor.kind === 'app') {
          await deps.accessLog.record(repos, {
            ...accessOf(actor, 'app_message.delete'),
            resources: { threadIds: [message.thread_id], messageIds: [messageId] },
            subjects: [actor.userId, ...thread.memberIds],
          });
        }
        return { threadId: message.thread_id, members: thread.memberIds };
      });
      bus.publish([{ recipients: [...members], event: { type: 'message.deleted', threadId, messageId } }]);
    },

    async markRead(actor: Actor, threadId: string, messageId: string): Promise<void> {
      const facts = await factsOrNotFound(storage.repos, threadId);
      must(actor, 'thread.mark_read', { kind: 'thread', ...facts }, threadNotFound);
      const members = facts.memberIds;
      const message = await storage.repos.messages.findById(messageId);
      if (!message || message.thread_id !== threadId) throw new AppError('message_not_found');
      const moved = await storage.repos.threads.advanceReadMarker(threadId, actor.userId, messageId);
      if (moved) {
        const event: Delivery = {
          recipients: [...members],
          event: { type: 'thread.read', threadId, userId: actor.userId, messageId },
        };
        bus.publish([event]);
      }
    },
  };
}

export type ThreadService = ReturnType<typeof createThreadService>;
