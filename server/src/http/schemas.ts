// Route schemas: they validate requests, type the handlers and become the OpenAPI document.
import { Type, type Static } from 'typebox';
import { ID_PATTERN } from '../lib/ids.js';
import { MAX_TEXT_LENGTH } from '../services/thread.service.js';

export const Id = Type.String({ pattern: ID_PATTERN, description: 'A UUIDv7 id' });
export const IsoTime = Type.String({ description: 'ISO 8601 time (UTC)' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const Problem = Type.Object(
  {
    type: Type.String(),
    code: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 9457 problem details' },
);

export const User = Type.Object({ id: Id, username: Type.String(), displayName: Type.String() });

export const Me = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  createdAt: IsoTime,
});

const HttpUrl = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2048 });

export const Card = Type.Object(
  {
    kind: Type.Union([Type.Literal('song'), Type.Literal('show'), Type.Literal('link')]),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    url: HttpUrl,
    subtitle: Type.Optional(Type.String({ maxLength: 200 })),
    imageUrl: Type.Optional(HttpUrl),
  },
  { additionalProperties: false },
);

export const Message = Type.Object({
  id: Id,
  threadId: Id,
  author: User,
  text: Nullable(Type.String()),
  card: Nullable(Card),
  via: Nullable(Type.Object({ clientId: Type.String(), name: Type.String() })),
  createdAt: IsoTime,
});

const threadFields = {
  id: Id,
  kind: Type.Union([Type.Literal('direct'), Type.Literal('group')]),
  title: Nullable(Type.String()),
  participants: Type.Array(User),
  lastMessage: Nullable(Message),
  unreadCount: Type.Integer({ minimum: 0 }),
  createdAt: IsoTime,
  updatedAt: IsoTime,
};

export const Thread = Type.Object(threadFields);

export const ThreadDetail = Type.Object({
  ...threadFields,
  readMarkers: Type.Array(Type.Object({ userId: Id, messageId: Id })),
  apps: Type.Array(Type.Object({ clientId: Type.String(), name: Type.String(), connectedBy: User })),
});

export const FriendRequest = Type.Object({
  id: Id,
  from: User,
  to: User,
  createdAt: IsoTime,
  status: Type.Union([Type.Literal('pending'), Type.Literal('accepted')]),
});

export const Friend = Type.Object({ user: User, since: IsoTime });

export const Username = Type.String({
  pattern: '^[a-z0-9_]{3,32}$',
  description: '3 to 32 characters: lowercase letters, digits, underscore',
});

export const SignupBody = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' }),
    password: Type.String({ minLength: 8, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const SendMessageBody = Type.Object(
  {
    text: Type.Optional(Type.String({ maxLength: MAX_TEXT_LENGTH })),
    card: Type.Optional(Card),
  },
  { additionalProperties: false },
);

export const CreateThreadBody = Type.Object(
  {
    participants: Type.Array(Id, { minItems: 1, maxItems: 50 }),
    title: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const PageQuery = Type.Object(
  {
    before: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
  },
  { additionalProperties: false },
);

export const MessagePageQuery = Type.Object(
  {
    before: Type.Optional(Id),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Id });

export const pageOf = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Optional(Type.String()) });

/** The error answers a route can give, for the OpenAPI document. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, Problem]));
}

export const NoContent = Type.Null({ description: 'No content' });

export type CardInput = Static<typeof Card>;
