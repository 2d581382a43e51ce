// The first-party API client. Shapes follow docs/API.md exactly; the session is the HttpOnly
// cookie, so every call is same-origin and carries credentials. The browser adds `Origin` to
// POST and DELETE on its own, which is what the server's origin check wants.

export type User = { id: string; username: string; displayName: string };
export type Me = User & { createdAt?: string };
export type CardKind = 'song' | 'show' | 'link';
export type Card = {
  kind: CardKind;
  title: string;
  url: string;
  subtitle?: string;
  imageUrl?: string;
};
export type Via = { clientId: string; name: string };
export type Message = {
  id: string;
  threadId: string;
  author: User;
  text: string | null;
  card: Card | null;
  via: Via | null;
  createdAt: string;
};
export type Thread = {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  participants: User[];
  lastMessage: Message | null;
  unreadCount: number;
  createdAt: string;
  updatedAt: string;
};
export type ReadMarker = { userId: string; messageId: string };
export type ThreadApp = { clientId: string; name: string; connectedBy: User };
export type ThreadDetail = Thread & { readMarkers: ReadMarker[]; apps: ThreadApp[] };
export type FriendRequest = {
  id: string;
  from: User;
  to: User;
  createdAt: string;
  status: 'pending' | 'accepted';
};
export type Friend = { user: User; since: string };
export type Page<T> = { items: T[]; nextCursor?: string };

type FieldError = { path: string; message: string };

/** A failed call: the problem+json fields (RFC 9457), or a synthetic code for transport failures. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  /** Seconds, from `Retry-After` (429). */
  readonly retryAfter: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    title: string;
    detail?: string | undefined;
    errors?: FieldError[] | undefined;
    retryAfter?: number | undefined;
  }) {
    super(init.detail ?? init.title);
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.retryAfter = init.retryAfter;
  }
}

/** A sentence to show a person: the server's detail when it gave one, else its title. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'too_many_attempts' && error.retryAfter !== undefined && !error.detail) {
      return `${error.title}. Try again in ${formatWait(error.retryAfter)}.`;
    }
    const fields = error.errors.map((e) => e.message).filter((m) => m && m !== error.detail);
    const main = error.detail ?? error.title;
    return fields.length > 0 && !error.detail ? `${main}: ${fields.join('; ')}` : main;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

// Any 401 `not_authenticated` means the session is gone (expired, revoked, logged out in
// another tab). The app listens for this once instead of every page handling it.
const sessionLostListeners = new Set<() => void>();
export function onSessionLost(listener: () => void): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

type Query = Record<string, string | number | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { body?: unknown; query?: Query; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (options.signal) init.signal = options.signal;

  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({
      status: 0,
      code: 'network_error',
      title: 'Parley cannot be reached',
      detail: 'Check your connection and try again.',
    });
  }

  if (response.ok) {
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const error = await toApiError(response);
  if (error.status === 401 && error.code === 'not_authenticated') {
    for (const listener of sessionLostListeners) listener();
  }
  throw error;
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryHeader = response.headers.get('Retry-After');
  const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : undefined;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const problem = isRecord(body) ? body : {};
  const str = (key: string): string | undefined =>
    typeof problem[key] === 'string' ? problem[key] : undefined;
  const errors = Array.isArray(problem.errors)
    ? problem.errors.filter(
        (e): e is FieldError => isRecord(e) && typeof e.path === 'string' && typeof e.message === 'string',
      )
    : undefined;
  return new ApiError({
    status: response.status,
    code: str('code') ?? `http_${response.status}`,
    title: str('title') ?? (response.statusText || `Request failed (${response.status})`),
    detail: str('detail'),
    errors,
    retryAfter,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const enc = encodeURIComponent;

export const api = {
  signup: (body: { username: string; displayName: string; password: string }) =>
    request<User>('POST', '/api/auth/signup', { body }),
  login: (body: { username: string; password: string }) => request<User>('POST', '/api/auth/login', { body }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: (signal?: AbortSignal) => request<Me>('GET', '/api/me', signal ? { signal } : {}),

  friends: () => request<{ items: Friend[] }>('GET', '/api/friends'),
  friendRequests: () =>
    request<{ incoming: FriendRequest[]; outgoing: FriendRequest[] }>('GET', '/api/friends/requests'),
  sendFriendRequest: (username: string) =>
    request<FriendRequest>('POST', '/api/friends/requests', { body: { username } }),
  acceptFriendRequest: (id: string) => request<Friend>('POST', `/api/friends/requests/${enc(id)}/accept`),
  declineFriendRequest: (id: string) => request<void>('POST', `/api/friends/requests/${enc(id)}/decline`),
  cancelFriendRequest: (id: string) => request<void>('DELETE', `/api/friends/requests/${enc(id)}`),
  removeFriend: (userId: string) => request<void>('DELETE', `/api/friends/${enc(userId)}`),

  threads: (query: { before?: string; limit?: number } = {}) =>
    request<Page<Thread>>('GET', '/api/threads', { query }),
  createThread: (body: { participants: string[]; title?: string }) =>
    request<ThreadDetail>('POST', '/api/threads', { body }),
  thread: (id: string) => request<ThreadDetail>('GET', `/api/threads/${enc(id)}`),
  messages: (threadId: string, query: { before?: string; limit?: number } = {}) =>
    request<Page<Message>>('GET', `/api/threads/${enc(threadId)}/messages`, { query }),
  sendMessage: (threadId: string, body: { text?: string; card?: Card }) =>
    request<Message>('POST', `/api/threads/${enc(threadId)}/messages`, { body }),
  markRead: (threadId: string, messageId: string) =>
    request<void>('POST', `/api/threads/${enc(threadId)}/read`, { body: { messageId } }),
  deleteMessage: (id: string) => request<void>('DELETE', `/api/messages/${enc(id)}`),
  /** DESIGN.md: any participant removes an app from a conversation. */
  removeThreadApp: (threadId: string, clientId: string) =>
    request<void>('DELETE', `/api/threads/${enc(threadId)}/apps/${enc(clientId)}`),
};
