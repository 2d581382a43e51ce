// The public data types. Every shape the partner API defines is taken from the types generated
// from docs/openapi.json (src/generated/openapi.ts), so the SDK cannot drift from the server.
// Only what the document does not describe is written here: the generic page, the scope names
// (an OAuth concept), and the bodies of live events and webhooks.
//
// Each is an empty interface extending the generated shape: the same type, under a name that
// editors show in hovers and errors and that the API docs list with every property.
/* eslint-disable @typescript-eslint/no-empty-object-type */
import type { paths } from './generated/openapi.js';

/** The JSON body of an operation's response with this status. */
type JsonBody<Operation, Status extends number> = Operation extends {
  responses: { [S in Status]: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

/** The JSON request body of an operation. */
type JsonRequest<Operation> = Operation extends {
  requestBody: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

/** The item type of a list body. */
type ItemOf<Body> = Body extends { items: (infer Item)[] } ? Item : never;

/** A property's type (an interface can extend this, not an indexed access). */
type Field<T, K extends keyof T> = T[K];

/** The person the token acts for: `id` always (openid), `username` and `displayName` with `profile`. */
export interface Profile extends JsonBody<paths['/v1/me']['get'], 200> {}

/** Exactly what the token can do: its scopes in plain language, the chosen conversations, the grant's expiry. */
export interface Permissions extends JsonBody<paths['/v1/me/permissions']['get'], 200> {}

/** A Parley person as the partner API shows them. */
export interface User extends Field<Message, 'author'> {}

/** A friend of the person who has also connected this app (`friends.read`). */
export interface Friend extends ItemOf<JsonBody<paths['/v1/me/friends']['get'], 200>> {}

/** A message; `via` names the app that sent it, or is null when the person wrote it in Parley. */
export interface Message extends JsonBody<paths['/v1/messages']['post'], 201> {}

/** What `POST /v1/messages` takes: `to` a friend's user id or a conversation id, with text and/or a card. */
export interface SendMessageInput extends JsonRequest<paths['/v1/messages']['post']> {}

/** A share card: a song, a show or a link. */
export interface Card extends NonNullable<SendMessageInput['card']> {}

/** A conversation this app may read, with its participants and last message. */
export interface Thread extends ItemOf<JsonBody<paths['/v1/threads']['get'], 200>> {}

/** An RFC 9162 inclusion proof: the audit path of entry `index` in the tree of size `treeSize` (base64 hashes). */
export interface InclusionProof extends JsonBody<paths['/v1/transparency/proof/inclusion']['get'], 200> {}

/** An RFC 9162 consistency proof between tree sizes `from` and `to` (base64 hashes). */
export interface ConsistencyProof extends JsonBody<paths['/v1/transparency/proof/consistency']['get'], 200> {}

/** An RFC 9457 problem details body, as every partner API error carries. */
export interface Problem extends JsonBody<paths['/v1/me']['get'], 401> {}

/**
 * One of this app's own transparency-log entries about the token's person: `leaf` is base64 of
 * the exact leaf bytes (RFC 8785 canonical JSON), `entry` the same leaf decoded.
 */
export interface TransparencyEntry extends JsonBody<paths['/v1/transparency/entries/{index}']['get'], 200> {}

/** A page of a list: the next page is asked for with `before: nextCursor`; no `nextCursor` means the end. */
export interface List<T> {
  items: T[];
  nextCursor?: string;
}

/** Every scope Parley knows (DESIGN.md "Scopes"); what each allows is in `Permissions`. */
export const SCOPE_NAMES = [
  'openid',
  'profile',
  'offline_access',
  'friends.read',
  'messages.send',
  'messages.read',
  'threads.connect',
] as const;

/** A scope an app can ask for. */
export type ScopeName = (typeof SCOPE_NAMES)[number];

/**
 * A live event from `GET /v1/events`, decided again by the server for each event: `hello` once
 * the stream is live (again after each reconnection), then new and deleted messages in
 * conversations the app may read now.
 */
export type ParleyEvent =
  | { type: 'hello'; clientId: string; userId: string }
  | { type: 'message.created'; message: Message }
  | { type: 'message.deleted'; threadId: string; messageId: string };

/**
 * The JSON body of a webhook delivery. `id` is also the `Parley-Webhook-Id` header and stays the
 * same on every retry, so a receiver can drop repeats.
 */
export type WebhookEvent =
  | { type: 'message.created'; id: string; createdAt: string; data: { message: Message } }
  | {
      type: 'grant.revoked' | 'grant.expired';
      id: string;
      createdAt: string;
      data: { grantId: string; userId: string; clientId: string };
    };
