// The database as Kysely sees it. Times are ISO 8601 UTC strings in both dialects, so the
// same queries sort and compare them the same way on SQLite and PostgreSQL.

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the cookie token: a database leak does not hand out sessions. */
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: string;
}

export interface FriendRequestsTable {
  id: string;
  from_user_id: string;
  to_user_id: string;
  created_at: string;
}

/** Stored in both directions, so "my friends" is one indexed lookup. */
export interface FriendshipsTable {
  user_id: string;
  friend_id: string;
  created_at: string;
}

export interface ThreadsTable {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  created_by: string;
  created_at: string;
  last_activity_at: string;
  /**
   * "<smaller id>:<larger id>" for one-to-one conversations, so each pair has at most one;
   * prefixed with the app's client id for a conversation started through an app.
   */
  direct_key: string | null;
  /** The app this conversation was started through (messages.read reaches only these). */
  origin_client_id: string | null;
}

export interface ThreadMembersTable {
  thread_id: string;
  user_id: string;
  joined_at: string;
  last_read_message_id: string | null;
}

export interface MessagesTable {
  id: string;
  thread_id: string;
  author_id: string;
  text: string | null;
  /** JSON of the card, or null. */
  card: string | null;
  via_client_id: string | null;
  created_at: string;
}

export interface SecretsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface AppsTable {
  client_id: string;
  client_secret: string;
  owner_id: string;
  name: string;
  description: string;
  homepage_url: string;
  privacy_policy_url: string;
  /** JSON array of exact redirect URIs. */
  redirect_uris: string;
  webhook_url: string | null;
  webhook_secret: string;
  /** JSON array of the webhook event types the app asked for. */
  webhook_events: string;
  /** Raised when the app asks for new scopes: existing grants then need new consent. */
  consent_version: number;
  created_at: string;
  updated_at: string;
}

export interface AppScopesTable {
  client_id: string;
  scope: string;
  purpose: string;
  is_required: number;
}

export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: string | null;
  consumed_at: string | null;
  /** Access tokens: the provider session they are bound to (`sessionUid`), if any. */
  session_uid: string | null;
}

export interface AppGrantsTable {
  id: string;
  user_id: string;
  client_id: string;
  /** JSON array of granted scope names. */
  scopes: string;
  consent_version: number;
  created_at: string;
  last_used_at: string;
  revoked_at: string | null;
}

export interface GrantThreadsTable {
  grant_id: string;
  thread_id: string;
}

export interface ThreadAppRemovalsTable {
  thread_id: string;
  client_id: string;
  removed_by: string;
  removed_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  client_id: string;
  event: string;
  body: string;
  attempts: number;
  status: 'pending' | 'delivered' | 'failed';
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** A grant's end (grant.revoked, grant.expired) was announced to its app: at most once each. */
export interface WebhookGrantEventsTable {
  grant_id: string;
  event: 'grant.revoked' | 'grant.expired';
  created_at: string;
}

export interface AppUsageTable {
  client_id: string;
  action: string;
  count: number;
  last_used_at: string;
}

/** bigint columns come back as strings from node-postgres: repositories convert with Number(). */
type BigIntColumn = number | string;

export interface TlogEntriesTable {
  idx: BigIntColumn;
  leaf: string;
  client_id: string | null;
  created_at: string;
}

export interface TlogSubjectsTable {
  user_id: string;
  idx: BigIntColumn;
}

export interface TlogNodesTable {
  level: number;
  idx: BigIntColumn;
  hash: string;
}

export interface TlogStateTable {
  id: number;
  size: BigIntColumn;
  root: string;
  /** JSON array of base64 hashes: the compact range [0, size), largest subtree first. */
  frontier: string;
}

export interface TlogCheckpointsTable {
  size: BigIntColumn;
  root: string;
  note: string;
  signed_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  friend_requests: FriendRequestsTable;
  friendships: FriendshipsTable;
  threads: ThreadsTable;
  thread_members: ThreadMembersTable;
  messages: MessagesTable;
  secrets: SecretsTable;
  apps: AppsTable;
  app_scopes: AppScopesTable;
  oidc_payloads: OidcPayloadsTable;
  app_grants: AppGrantsTable;
  grant_threads: GrantThreadsTable;
  thread_app_removals: ThreadAppRemovalsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_grant_events: WebhookGrantEventsTable;
  app_usage: AppUsageTable;
  tlog_entries: TlogEntriesTable;
  tlog_subjects: TlogSubjectsTable;
  tlog_nodes: TlogNodesTable;
  tlog_state: TlogStateTable;
  tlog_checkpoints: TlogCheckpointsTable;
}
