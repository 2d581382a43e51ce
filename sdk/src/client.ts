// The partner API client: one method per route of docs/API.md "Partner API (/v1)", typed by the
// generated OpenAPI types, with rate limits honoured, errors typed, receipts remembered and the
// live event stream read with fetch.
import { parseAccessReceipt, rememberReceipt } from './access-receipt.js';
import { errorFromResponse, ParleyApiError, ParleyError, ParleyRateLimitError } from './errors.js';
import { readSse } from './sse.js';
import type {
  Card,
  ConsistencyProof,
  Friend,
  InclusionProof,
  List,
  Message,
  ParleyEvent,
  Permissions,
  Profile,
  SendMessageInput,
  Thread,
  TransparencyEntry,
} from './types.js';

/** What every ParleyClient is made with. */
export interface ParleyClientOptions {
  /** The Parley platform's public URL, e.g. `https://parley.example` (no `/v1`). */
  parleyUrl: string;
  /**
   * The access token, or a function returning the current one. The function is called before
   * every request, so it can refresh a token that is about to expire.
   */
  accessToken: string | (() => string | Promise<string>);
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
  /** How often to retry after 429 Too Many Requests; default 2. 0 turns retries off. */
  maxRetries?: number;
  /** The longest Retry-After worth waiting for, in ms; a longer one throws ParleyRateLimitError at once. Default 10 000. */
  maxRetryDelayMs?: number;
  /**
   * Called with every Access-Receipt the client receives, including those of requests whose
   * result is not an object (`deleteMessage`).
   */
  onReceipt?: (receipt: AccessReceipt) => void;
}

/** The log entries one response was recorded in. */
export interface AccessReceipt {
  /** The transparency-log indexes, from the Access-Receipt header. */
  indexes: number[];
  /** The request's method. */
  method: string;
  /** The request's path, e.g. `/v1/messages`. */
  path: string;
}

/** Page options of a list. */
export interface PageOptions {
  /** The `nextCursor` of the previous page. */
  before?: string;
  /** At most this many items (1–100; the server's default is 50). */
  limit?: number;
}

/** The transparency log's public routes, and this app's own entries. */
export interface TransparencyApi {
  /** The latest signed tree head: a C2SP tlog-checkpoint signed note (text, exactly as signed). */
  checkpoint(): Promise<string>;
  /** The log's note verifier key, `<name>+<key id>+<base64 key>`; its name is the log's origin. */
  key(): Promise<string>;
  /** The inclusion proof of entry `index` in the tree of size `size` (RFC 9162 §2.1.3). */
  inclusionProof(index: number, size: number): Promise<InclusionProof>;
  /** The consistency proof between tree sizes `from` (≥ 1) and `to` (RFC 9162 §2.1.4). */
  consistencyProof(from: number, to: number): Promise<ConsistencyProof>;
  /** One of this app's own entries about the token's person, with the exact leaf bytes (base64). */
  entry(index: number): Promise<TransparencyEntry>;
}

type Method = 'GET' | 'POST' | 'DELETE';

interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Public transparency routes are sent without the token: they do not need it. */
  isPublic?: boolean;
  signal?: AbortSignal;
  accept?: string;
}

/** A live stream that lasted this long was healthy: the next reconnection is immediate. */
const HEALTHY_STREAM_MS = 10_000;
const MAX_RECONNECT_DELAY_MS = 30_000;

/** The pause before reconnecting after `failures` short-lived streams in a row: none after a healthy one, then 0.5 s, 1 s, 2 s … at most 30 s. */
export function reconnectDelayMs(failures: number): number {
  return failures === 0 ? 0 : Math.min(MAX_RECONNECT_DELAY_MS, 500 * 2 ** (failures - 1));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** An event-stream message as a ParleyEvent; undefined for event types this SDK does not know. */
export function parleyEventOf(message: { event: string; data: string }): ParleyEvent | undefined {
  switch (message.event) {
    case 'hello':
    case 'message.created':
    case 'message.deleted': {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        throw new ParleyError(`The ${message.event} event is not JSON.`);
      }
      if (typeof data !== 'object' || data === null) {
        throw new ParleyError(`The ${message.event} event is not a JSON object.`);
      }
      return { ...data, type: message.event } as ParleyEvent;
    }
    default:
      return undefined;
  }
}

/**
 * A client of the Parley partner API for one person's access token.
 *
 * Every method throws a {@link ParleyApiError} subclass when the server refuses:
 * {@link ParleyAuthError} when the token is no longer accepted (offer "Connect again"),
 * {@link ParleyRateLimitError} when rate limited beyond what the client may wait for.
 *
 * @example
 * const client = new ParleyClient({ parleyUrl: 'https://parley.example', accessToken: tokens.accessToken });
 * const message = await client.sendMessage({ to: friendId, card: { kind: 'song', title: 'Blue in Green', url } });
 */
export class ParleyClient {
  /** The transparency log: signed heads, proofs, and this app's own entries. */
  readonly transparency: TransparencyApi;

  private readonly baseUrl: string;
  private readonly token: () => string | Promise<string>;
  private readonly fetch: typeof fetch;
  private readonly maxRetries: number;
  private readonly maxRetryDelayMs: number;
  private readonly onReceipt: ((receipt: AccessReceipt) => void) | undefined;

  constructor(options: ParleyClientOptions) {
    this.baseUrl = options.parleyUrl.replace(/\/+$/, '');
    const { accessToken } = options;
    this.token = typeof accessToken === 'function' ? accessToken : () => accessToken;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.maxRetries = options.maxRetries ?? 2;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
    this.onReceipt = options.onReceipt;
    this.transparency = {
      checkpoint: async () =>
        (await this.send('GET', '/v1/transparency/checkpoint', { isPublic: true })).text(),
      key: async () =>
        (await (await this.send('GET', '/v1/transparency/key', { isPublic: true })).text()).trim(),
      inclusionProof: (index, size) =>
        this.json<InclusionProof>('GET', '/v1/transparency/proof/inclusion', {
          query: { index, size },
          isPublic: true,
        }),
      consistencyProof: (from, to) =>
        this.json<ConsistencyProof>('GET', '/v1/transparency/proof/consistency', {
          query: { from, to },
          isPublic: true,
        }),
      entry: (index) => this.json<TransparencyEntry>('GET', `/v1/transparency/entries/${segment(index)}`),
    };
  }

  /** `GET /v1/me`: the person the token acts for. */
  me(): Promise<Profile> {
    return this.json('GET', '/v1/me');
  }

  /** `GET /v1/me/permissions`: the scopes of this token in plain language, the chosen conversations and the expiry. */
  permissions(): Promise<Permissions> {
    return this.json('GET', '/v1/me/permissions');
  }

  /** `GET /v1/me/friends` (friends.read): the person's friends who have also connected this app. */
  friends(): Promise<List<Friend>> {
    return this.json('GET', '/v1/me/friends');
  }

  /**
   * `POST /v1/messages`: sends as the person, shown "via" the app. `to` is a friend's user id
   * (messages.send: into the conversation this app started with them) or a conversation id
   * (threads.connect: one the person selected; messages.send: one started through this app).
   */
  sendMessage(input: { to: string; text?: string; card?: Card }): Promise<Message> {
    const body: SendMessageInput = input;
    return this.json('POST', '/v1/messages', { body });
  }

  /** `DELETE /v1/messages/:id` (messages.send): deletes a message this app sent for this person. */
  async deleteMessage(id: string): Promise<void> {
    await this.send('DELETE', `/v1/messages/${segment(id)}`);
  }

  /** `GET /v1/threads` (messages.read / threads.connect): the conversations this app may read. */
  threads(options: PageOptions = {}): Promise<List<Thread>> {
    return this.json('GET', '/v1/threads', { query: { ...options } });
  }

  /** `GET /v1/threads/:id/messages`: messages of a conversation this app may read, newest first. */
  messages(threadId: string, options: PageOptions = {}): Promise<List<Message>> {
    return this.json('GET', `/v1/threads/${segment(threadId)}/messages`, { query: { ...options } });
  }

  /**
   * `GET /v1/events`: live events, as they happen, until `signal` aborts (then the iteration
   * simply ends). A dropped connection, a server that is briefly down (5xx) or a rate limit is
   * outlasted by connecting again (at once, then with growing pauses). Every new connection
   * starts with a `hello`; events in between are not replayed, so read `messages()` after a
   * `hello` that follows others if you must not miss any.
   *
   * Throws {@link ParleyAuthError} when the token is refused: the server checks the grant again
   * with each event, so after a revocation or expiry the stream ends at the next event and the
   * reconnection is refused. Throws the other {@link ParleyApiError}s when the server refuses the
   * stream (e.g. `insufficient_scope` without messages.read or threads.connect).
   */
  async *events(options: { signal?: AbortSignal } = {}): AsyncGenerator<ParleyEvent, void, undefined> {
    const { signal } = options;
    let failures = 0;
    while (!signal?.aborted) {
      const startedAt = Date.now();
      try {
        const response = await this.send('GET', '/v1/events', {
          accept: 'text/event-stream',
          ...(signal ? { signal } : {}),
        });
        if (!response.body) throw new ParleyError('The event stream has no body.');
        for await (const message of readSse(response.body)) {
          const event = parleyEventOf(message);
          if (event) yield event;
        }
      } catch (error) {
        if (signal?.aborted) return;
        if (!isTransient(error)) throw error;
        // The connection is made again below.
      }
      failures = Date.now() - startedAt >= HEALTHY_STREAM_MS ? 0 : failures + 1;
      await sleep(reconnectDelayMs(failures), signal);
    }
  }

  private async json<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    const result = (await response.json()) as T;
    if (typeof result === 'object' && result !== null) {
      rememberReceipt(result, parseAccessReceipt(response.headers.get('access-receipt')));
    }
    return result;
  }

  /** Sends a request, waiting out 429s as allowed; returns a successful response or throws the typed error. */
  private async send(method: Method, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
      if (!options.isPublic) headers.authorization = `Bearer ${await this.token()}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await this.fetch(url, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (response.ok) {
        const indexes = parseAccessReceipt(response.headers.get('access-receipt'));
        if (indexes?.length) this.onReceipt?.({ indexes, method, path });
        return response;
      }
      const error = await errorFromResponse(response);
      if (!(error instanceof ParleyRateLimitError) || attempt >= this.maxRetries) throw error;
      const waitMs = error.retryAfterSeconds * 1000;
      if (waitMs > this.maxRetryDelayMs || !isSafeToRepeat(method, error)) throw error;
      await sleep(waitMs, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}

/**
 * Whether a request refused with 429 may be sent again. GET and DELETE are idempotent. A POST
 * (sending a message) is safe too when Parley itself refused it: Parley's rate limits are
 * checked with the token, before the route runs, so a `rate_limited` answer means nothing was
 * written or logged. A 429 from anything else (a proxy, say) gives no such promise for a POST.
 */
function isSafeToRepeat(method: Method, error: ParleyRateLimitError): boolean {
  return method !== 'POST' || error.code === 'rate_limited';
}

/**
 * Failures a live stream outlasts by connecting again: the network (fetch rejects with a
 * TypeError, WHATWG Fetch "network error"), the server or a proxy in front of it being down
 * (5xx), a rate limit. A refusal (4xx: the token, the scope) is final.
 */
function isTransient(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    error instanceof ParleyRateLimitError ||
    (error instanceof ParleyApiError && error.status >= 500)
  );
}

function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}
