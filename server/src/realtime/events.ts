import type { MessageView } from '../services/views.js';

/** What a person's live connection receives (docs/API.md "Live events"). */
export type LiveEvent =
  | { type: 'message.created'; message: MessageView }
  | { type: 'message.deleted'; threadId: string; messageId: string }
  | { type: 'thread.read'; threadId: string; userId: string; messageId: string }
  | { type: 'thread.created'; threadId: string }
  /** An app was connected to or removed from a conversation. */
  | { type: 'thread.apps_changed'; threadId: string }
  | { type: 'friends.changed' }
  /** The person ended an app's grant: its live streams close now, not at their next event. */
  | { type: 'grant.ended'; clientId: string };

/** An event and exactly who may receive it, decided by the service at commit time. */
export interface Delivery {
  readonly recipients: readonly string[];
  readonly event: LiveEvent;
}
