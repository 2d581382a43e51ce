// Route schemas: they validate requests, type the handlers and become the OpenAPI document.
import { Type, type Static } from 'typebox';
import { ID_PATTERN } from '../lib/ids.js';
import { SCOPE_NAMES } from '../policy/scopes.js';
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

// Partner platform

// The catalogue's names, not a copy of them.
export const ScopeNameSchema = Type.Union(SCOPE_NAMES.map((name) => Type.Literal(name)));

export const ScopeInfo = Type.Object({
  scope: Type.String(),
  title: Type.String(),
  can: Type.Array(Type.String()),
  cannot: Type.Array(Type.String()),
});

export const AppScope = Type.Object({
  scope: Type.String(),
  title: Type.String(),
  can: Type.Array(Type.String()),
  cannot: Type.Array(Type.String()),
  purpose: Type.String(),
  required: Type.Boolean(),
});

export const AppPublic = Type.Object({
  clientId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  homepageUrl: Type.String(),
  privacyPolicyUrl: Type.String(),
  developer: Type.Object({ username: Type.String(), displayName: Type.String() }),
});

export const ThreadRef = Type.Object({ id: Id, label: Type.String(), participants: Type.Array(User) });

const appPublicFields = AppPublic.properties;

const WebhookEventName = Type.Union([
  Type.Literal('message.created'),
  Type.Literal('grant.revoked'),
  Type.Literal('grant.expired'),
]);

export const DeveloperApp = Type.Object({
  ...appPublicFields,
  redirectUris: Type.Array(Type.String()),
  scopes: Type.Array(AppScope),
  webhookUrl: Nullable(Type.String()),
  webhookEvents: Type.Array(WebhookEventName),
  consentVersion: Type.Integer(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  usage: Type.Array(Type.Object({ action: Type.String(), count: Type.Integer(), lastUsedAt: IsoTime })),
  grants: Type.Object({ active: Type.Integer(), expired: Type.Integer(), revoked: Type.Integer() }),
});

export const NewDeveloperApp = Type.Object({
  ...DeveloperApp.properties,
  clientSecret: Type.String(),
  webhookSecret: Type.String(),
});

const UrlField = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2048 });

const appInputFields = {
  name: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' }),
  description: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
  homepageUrl: UrlField,
  privacyPolicyUrl: UrlField,
  redirectUris: Type.Array(Type.String({ format: 'uri', maxLength: 2048 }), { minItems: 1, maxItems: 10 }),
  scopes: Type.Array(
    Type.Object(
      {
        scope: ScopeNameSchema,
        purpose: Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' }),
        required: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
    { minItems: 1, maxItems: 7 },
  ),
  webhookUrl: Type.Optional(Nullable(UrlField)),
  webhookEvents: Type.Optional(
    Type.Array(WebhookEventName, {
      maxItems: 3,
      uniqueItems: true,
      description: 'The webhook events the app wants (default: all three)',
    }),
  ),
};

export const AppInputBody = Type.Object(appInputFields, { additionalProperties: false });
export const AppPatchBody = Type.Partial(Type.Object(appInputFields, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
});

export const ClientIdParams = Type.Object({
  clientId: Type.String({ pattern: '^app_[A-Za-z0-9_-]{1,64}$' }),
});

export const ConnectedApp = Type.Object({
  app: AppPublic,
  scopes: Type.Array(ScopeInfo),
  threads: Type.Array(ThreadRef),
  grantedAt: IsoTime,
  lastUsedAt: IsoTime,
  expiresAt: IsoTime,
  status: Type.Union([Type.Literal('active'), Type.Literal('expired')]),
});

export const Delivery = Type.Object({
  id: Type.String(),
  event: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  createdAt: IsoTime,
  deliveredAt: Nullable(IsoTime),
});

export const InteractionParams = Type.Object({ uid: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

export const ConsentDetails = Type.Object({
  uid: Type.String(),
  app: AppPublic,
  scopes: Type.Array(AppScope),
  person: Nullable(User),
  threads: Type.Array(ThreadRef),
  redirectOrigin: Type.String(),
  /** The person's current grant already covers this request: nothing to consent to. */
  alreadyConnected: Type.Boolean(),
});

export const ConsentBody = Type.Object(
  {
    scopes: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 }),
    threadIds: Type.Array(Id, { maxItems: 100 }),
  },
  { additionalProperties: false },
);

export const RedirectTo = Type.Object({ redirectTo: Type.String() });

export const PartnerMe = Type.Object({
  id: Id,
  username: Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
});

export const Permissions = Type.Object({
  clientId: Type.String(),
  userId: Id,
  grantId: Type.String(),
  scopes: Type.Array(ScopeInfo),
  threads: Type.Array(ThreadRef),
  expiresAt: IsoTime,
});

export const PartnerSendBody = Type.Object(
  {
    to: Type.String({
      pattern: ID_PATTERN,
      description: 'A friend’s user id (messages.send) or a conversation id',
    }),
    text: Type.Optional(Type.String({ maxLength: MAX_TEXT_LENGTH })),
    card: Type.Optional(Card),
  },
  { additionalProperties: false },
);
