import type { Clock } from '../lib/clock.js';
import type { PasswordHasher } from '../lib/password.js';
import type { EventBus } from '../realtime/bus.js';
import type { Storage } from '../storage/database.js';
import type { AccessLog } from './transparency.service.js';
import type { UsageCounter } from './usage.js';
import type { WebhookSink } from './webhook-sink.js';

/** What every use-case may touch, passed explicitly. */
export interface ServiceDeps {
  readonly storage: Storage;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly passwords: PasswordHasher;
  /** PARLEY_GRANT_EXPIRY_DAYS: a grant unused this long has expired. */
  readonly grantExpiryDays: number;
  /** Partner webhooks, queued in the same transaction as the change. */
  readonly webhooks: WebhookSink;
  /** The transparency log: every partner access to personal data is recorded through it. */
  readonly accessLog: AccessLog;
  /** Usage per app and action for the developer console, written in batches. */
  readonly usage: UsageCounter;
}
