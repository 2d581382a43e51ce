// Sends queued partner webhooks after commit (DESIGN.md "Partner API": signed, retried with
// backoff), and announces grants that expired while nobody used them. At least once: a
// receiver drops repeats by Parley-Webhook-Id. Every time decision reads the injected clock, so
// tests drive runDue() and sweepExpired() with a manual one.
import { isHttpsOrLoopback } from '../lib/outbound-url.js';
import type { Clock } from '../lib/clock.js';
import { EVENT_HEADER, SIGNATURE_HEADER, WEBHOOK_ID_HEADER, signWebhook } from '../lib/webhook-signature.js';
import type { Storage } from '../storage/database.js';
import type { AppRow } from '../storage/repositories/app.repository.js';
import type { WebhookDeliveryRow } from '../storage/repositories/webhook.repository.js';
import { DAY_MS, grantStatus } from './grants.js';
import { appsThatMayRead, type WebhookEvent } from './webhook.service.js';
import type { WebhookSink } from './webhook-sink.js';

/** A delivery that failed this many times is given up (status failed). */
export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 10_000;
const MAX_DELAY_MS = 3_600_000;
/** Up to this fraction is added to each delay, so receivers that failed together are not retried in step. */
const JITTER = 0.1;
/** How long a claimed delivery stays out of others' reach; longer than any one attempt. */
const LEASE_MS = 60_000;
const BATCH = 20;
const SWEEP_BATCH = 100;

/** Wait before the attempt after failed attempt number `attempt` (1-based): 10 s, 20 s, 40 s, … at most 1 h. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(2 ** (attempt - 1) * BASE_DELAY_MS, MAX_DELAY_MS);
  return base + Math.floor(base * JITTER * random());
}

/**
 * The rule registration applies to webhook URLs, checked again at send time: https, or plain
 * http only to this machine. Secrets and personal data never travel in the clear.
 */
export const isDeliverableUrl = isHttpsOrLoopback;

export interface WebhookDispatcherDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly grantExpiryDays: number;
  /** Where the expiry sweep announces grant.expired (the same sink the use-cases queue with). */
  readonly webhooks: WebhookSink;
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  /** For the jitter; tests may fix it. */
  readonly random?: () => number;
  /** Unexpected failures (the database, a bug); never given a secret. */
  readonly onError?: (error: unknown) => void;
}

export interface DispatchSummary {
  delivered: number;
  retrying: number;
  failed: number;
}

export interface WebhookDispatcher {
  /** Attempts every pending delivery that is due now; resolves when all attempts ended. */
  runDue(): Promise<DispatchSummary>;
  /** Queues grant.expired for grants that expired unused and were not announced yet. */
  sweepExpired(): Promise<number>;
  /** Both, every intervalMs (1 s), on a timer that does not keep the process alive. */
  start(): void;
  /** Stops the timer and waits for the attempts in flight. */
  stop(): Promise<void>;
}

type Outcome = 'delivered' | 'retrying' | 'failed' | 'skipped';

export function createWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  const { storage, clock } = deps;
  const timeoutMs = deps.timeoutMs ?? 5_000;
  const random = deps.random ?? Math.random;
  const onError = deps.onError ?? (() => undefined);

  function describeError(error: unknown): string {
    if (!(error instanceof Error)) return 'the request failed';
    if (error.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
    const cause: unknown = error.cause;
    const code =
      cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string'
        ? cause.code
        : null;
    return (code ? `${error.message} (${code})` : error.message).slice(0, 300);
  }

  /** Why this delivery must not be sent (any more), or null. */
  async function refusal(delivery: WebhookDeliveryRow, app: AppRow | undefined): Promise<string | null> {
    if (!app?.webhook_url) return 'the app has no webhook URL';
    if (!isDeliverableUrl(app.webhook_url)) return 'the webhook URL must use https (http only on localhost)';
    const event = JSON.parse(delivery.body) as WebhookEvent;
    if (event.type === 'message.created') {
      // A message leaves the server only while the app may read it: a revocation, expiry or
      // removal between queueing and a retry stops it, as it stops the app's tokens.
      const { message } = event.data;
      const [thread, row] = await Promise.all([
        storage.repos.threads.facts(message.threadId),
        storage.repos.messages.findById(message.id),
      ]);
      if (!thread || !row) return 'the message was deleted before it was delivered';
      const readers = await appsThatMayRead(storage.repos, thread, deps, delivery.client_id);
      if (!readers.has(delivery.client_id)) return 'the app may no longer read this conversation';
    }
    return null;
  }

  async function attempt(delivery: WebhookDeliveryRow): Promise<Outcome> {
    const leaseUntil = new Date(clock.now().getTime() + LEASE_MS).toISOString();
    if (!(await storage.repos.webhooks.claim(delivery, leaseUntil))) return 'skipped';
    const app = await storage.repos.apps.find(delivery.client_id);
    const reason = await refusal(delivery, app);
    if (reason !== null || !app?.webhook_url) {
      await storage.repos.webhooks.recordAttempt(delivery.id, {
        attempts: delivery.attempts,
        status: 'failed',
        last_status_code: null,
        last_error: reason,
        next_attempt_at: null,
        delivered_at: null,
      });
      return 'failed';
    }

    const t = Math.floor(clock.now().getTime() / 1000);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(app.webhook_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Parley-Webhooks/1',
          [SIGNATURE_HEADER]: signWebhook(app.webhook_secret, delivery.body, t),
          [WEBHOOK_ID_HEADER]: delivery.id,
          [EVENT_HEADER]: delivery.event,
        },
        body: delivery.body,
        // A redirect is an answer, not a 2xx: following it would send the data somewhere the
        // developer did not register.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      statusCode = response.status;
      await response.body?.cancel().catch(() => undefined);
    } catch (e) {
      error = describeError(e);
    }

    const attempts = delivery.attempts + 1;
    const now = clock.now();
    const isSuccess = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const isGivenUp = !isSuccess && attempts >= MAX_ATTEMPTS;
    await storage.repos.webhooks.recordAttempt(delivery.id, {
      attempts,
      status: isSuccess ? 'delivered' : isGivenUp ? 'failed' : 'pending',
      last_status_code: statusCode,
      last_error: isSuccess ? null : (error ?? `the receiver answered ${statusCode}`),
      next_attempt_at:
        isSuccess || isGivenUp
          ? null
          : new Date(now.getTime() + retryDelayMs(attempts, random)).toISOString(),
      delivered_at: isSuccess ? now.toISOString() : null,
    });
    return isSuccess ? 'delivered' : isGivenUp ? 'failed' : 'retrying';
  }

  async function runDueOnce(): Promise<DispatchSummary> {
    const summary: DispatchSummary = { delivered: 0, retrying: 0, failed: 0 };
    for (;;) {
      const due = await storage.repos.webhooks.due(clock.now().toISOString(), BATCH);
      const outcomes = await Promise.allSettled(due.map(attempt));
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') onError(outcome.reason);
        else if (outcome.value !== 'skipped') summary[outcome.value] += 1;
      }
      // Each row read was claimed (by us or another node), so a full batch means more may wait.
      if (due.length < BATCH) return summary;
    }
  }

  async function sweepOnce(): Promise<number> {
    const now = clock.now();
    const cutoff = new Date(now.getTime() - deps.grantExpiryDays * DAY_MS).toISOString();
    const grants = await storage.repos.webhooks.expiredUnannounced(cutoff, SWEEP_BATCH);
    let count = 0;
    for (const grant of grants) {
      if (grantStatus(grant, deps.grantExpiryDays, now) !== 'expired') continue;
      await storage.transaction((repos) => deps.webhooks.grantEnded(repos, grant, 'grant.expired'));
      count += 1;
    }
    return count;
  }

  // One run at a time in this process: a caller waits for the run in flight and then gets its
  // own, so after `await runDue()` everything due when it was called has been attempted.
  let chain: Promise<unknown> = Promise.resolve();
  function serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = chain.then(work);
    chain = run.catch(() => undefined);
    return run;
  }

  let timer: NodeJS.Timeout | null = null;
  let tick: Promise<void> | null = null;
  const dispatcher: WebhookDispatcher = {
    runDue: () => serialized(runDueOnce),
    sweepExpired: () => serialized(sweepOnce),
    start() {
      if (timer) return;
      timer = setInterval(() => {
        // A slow receiver holds a tick up to the timeout; ticks meanwhile are skipped, not piled up.
        if (tick) return;
        tick = dispatcher
          .sweepExpired()
          .then(() => (timer ? dispatcher.runDue() : undefined))
          .then(
            () => undefined,
            (error: unknown) => onError(error),
          )
          .finally(() => {
            tick = null;
          });
      }, deps.intervalMs ?? 1_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await tick;
      await chain;
    },
  };
  return dispatcher;
}
