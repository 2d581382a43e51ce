// The first-party API client. Shapes follow docs/API.md exactly; the session is the HttpOnly
// cookie, so every call is same-origin and carries credentials. The browser adds `Origin` to
// POST, PATCH and DELETE on its own, which is what the server's origin check wants.

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

// Partner platform, first-party side (docs/API.md "Partner platform (first-party side)").

export type ScopeName =
  | 'openid'
  | 'profile'
  | 'offline_access'
  | 'friends.read'
  | 'messages.send'
  | 'messages.read'
  | 'threads.connect';
/** The catalogue's order, for showing scopes the same way everywhere. */
export const SCOPE_ORDER: readonly ScopeName[] = [
  'openid',
  'profile',
  'offline_access',
  'friends.read',
  'messages.send',
  'messages.read',
  'threads.connect',
];

export function inScopeOrder<T extends { scope: ScopeName }>(scopes: readonly T[]): T[] {
  const rank = (s: ScopeName) => {
    const i = SCOPE_ORDER.indexOf(s);
    return i === -1 ? SCOPE_ORDER.length : i;
  };
  return [...scopes].sort((a, b) => rank(a.scope) - rank(b.scope));
}

/** One entry of Parley's scope catalogue: the fixed plain-language lines. */
export type ScopeInfo = { scope: ScopeName; title: string; can: string[]; cannot: string[] };
/** A scope as an app registered it: the app's own purpose, and whether people may untick it. */
export type AppScope = ScopeInfo & { purpose: string; required: boolean };
export type AppPublic = {
  clientId: string;
  name: string;
  description: string;
  homepageUrl: string;
  privacyPolicyUrl: string;
  developer: { username: string; displayName: string };
};
/** A conversation as offered to, or selected for, an app. label: title or participants' names. */
export type ThreadRef = { id: string; label: string; participants: User[] };

export type ConsentDetails = {
  uid: string;
  app: AppPublic;
  /** The scopes the app requested. */
  scopes: AppScope[];
  /** null: not logged in. */
  person: User | null;
  /** The person's conversations, offered only when threads.connect is requested. */
  threads: ThreadRef[];
  redirectOrigin: string;
  /** The person's current grant already covers this request: the page only signs them in. */
  alreadyConnected: boolean;
};
export type ConsentDecision = { redirectTo: string };

export type ConnectedApp = {
  app: AppPublic;
  /** Granted scopes. */
  scopes: ScopeInfo[];
  /** Selected conversations, minus those a participant removed the app from. */
  threads: ThreadRef[];
  grantedAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  status: 'active' | 'expired';
};

export type AppInput = {
  name: string;
  description: string;
  homepageUrl: string;
  privacyPolicyUrl: string;
  redirectUris: string[];
  scopes: { scope: ScopeName; purpose: string; required?: boolean }[];
  webhookUrl?: string | null;
  webhookEvents?: WebhookEventType[];
};
export type WebhookEventType = 'message.created' | 'grant.revoked' | 'grant.expired';
export type AppUsage = { action: string; count: number; lastUsedAt: string };
export type DeveloperApp = AppPublic & {
  redirectUris: string[];
  scopes: AppScope[];
  webhookUrl: string | null;
  webhookEvents: WebhookEventType[];
  consentVersion: number;
  createdAt: string;
  updatedAt: string;
  usage: AppUsage[];
  grants: { active: number; expired: number; revoked: number };
};
/** Returned once, at registration: the secrets are never shown again. */
export type RegisteredApp = DeveloperApp & { clientSecret: string; webhookSecret: string | null };
export type WebhookDelivery = {
  id: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  createdAt: string;
  deliveredAt: string | null;
};

// Transparency log (DESIGN.md "Transparency log"): one access, as Parley recorded it.
export type AccessAction =
  | 'profile.read'
  | 'grant.read'
  | 'app_friends.read'
  | 'app_message.send'
  | 'app_message.delete'
  | 'app_thread.list'
  | 'app_thread.read'
  | 'app_events.read'
  | 'webhook.message_created';
export type AccessEntry = {
  v: number;
  time: string;
  /** The app's clientId. */
  app: string;
  grant: string;
  /** The person whose grant the app used. */
  actor: string;
  /** An AccessAction, or one this page does not know yet. */
  action: string;
  threads: string[];
  messages: string[];
  subjects: string[];
  salt: string;
};
/** `leaf`: base64 of the exact leaf bytes, whose hash is in the log at `index`. */
export type AccessLogItem = { index: number; leaf: string; entry: AccessEntry };
export type InclusionProof = { index: number; treeSize: number; hashes: string[] };
export type ConsistencyProof = { from: number; to: number; hashes: string[] };

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
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
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

/** A plain-text GET (signed notes, keys): never from a cache, since freshness is the point. */
async function requestText(path: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(path, {
      credentials: 'same-origin',
      headers: { Accept: 'text/plain' },
      cache: 'no-store',
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'network_error',
      title: 'Parley cannot be reached',
      detail: 'Check your connection and try again.',
    });
  }
  if (!response.ok) throw await toApiError(response);
  return response.text();
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
  shareApp: (clientId: string) => request<AppPublic>('GET', `/api/share/apps/${enc(clientId)}`),
  share: (body: {
    clientId: string;
    card: Card;
    friendIds: string[];
    text?: string;
    redirectUri?: string;
    state?: string;
  }) => request<{ items: Message[]; returnTo?: string }>('POST', '/api/share', { body }),
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

  // Consent: these paths carry oidc-provider's interaction cookie (same origin, not /api).
  consentDetails: (uid: string, signal?: AbortSignal) =>
    request<ConsentDetails>('GET', `/consent/${enc(uid)}/details`, signal ? { signal } : {}),
  consentConfirm: (uid: string, body: { scopes: ScopeName[]; threadIds: string[] }) =>
    request<ConsentDecision>('POST', `/consent/${enc(uid)}/confirm`, { body }),
  consentContinue: (uid: string) => request<ConsentDecision>('POST', `/consent/${enc(uid)}/continue`),
  consentDeny: (uid: string) => request<ConsentDecision>('POST', `/consent/${enc(uid)}/deny`),

  // Apps & access: the apps I connected.
  connectedApps: () => request<{ items: ConnectedApp[] }>('GET', '/api/apps'),
  revokeApp: (clientId: string) => request<void>('DELETE', `/api/apps/${enc(clientId)}`),

  // Transparency log: my entries (session), and the public checkpoint, key and proofs.
  accessLog: (query: { app?: string; before?: string; limit?: number } = {}) =>
    request<Page<AccessLogItem>>('GET', '/api/access-log', { query }),
  appAccessLog: (clientId: string) =>
    request<Page<AccessLogItem>>('GET', `/api/developer/apps/${enc(clientId)}/access-log`, {
      query: { limit: 50 },
    }),
  transparencyCheckpoint: () => requestText('/v1/transparency/checkpoint'),
  transparencyKey: () => requestText('/v1/transparency/key'),
  inclusionProof: (index: number, size: number) =>
    request<InclusionProof>('GET', '/v1/transparency/proof/inclusion', { query: { index, size } }),
  consistencyProof: (from: number, to: number) =>
    request<ConsistencyProof>('GET', '/v1/transparency/proof/consistency', { query: { from, to } }),

  // Developer console: the apps I registered.
  scopes: () => request<{ items: ScopeInfo[] }>('GET', '/api/scopes'),
  developerApps: () => request<{ items: DeveloperApp[] }>('GET', '/api/developer/apps'),
  developerApp: (clientId: string) => request<DeveloperApp>('GET', `/api/developer/apps/${enc(clientId)}`),
  registerApp: (body: AppInput) => request<RegisteredApp>('POST', '/api/developer/apps', { body }),
  updateApp: (clientId: string, body: Partial<AppInput>) =>
    request<DeveloperApp>('PATCH', `/api/developer/apps/${enc(clientId)}`, { body }),
  rotateAppSecret: (clientId: string) =>
    request<{ clientSecret: string }>('POST', `/api/developer/apps/${enc(clientId)}/secret`),
  appDeliveries: (clientId: string) =>
    request<{ items: WebhookDelivery[] }>('GET', `/api/developer/apps/${enc(clientId)}/deliveries`),
};
