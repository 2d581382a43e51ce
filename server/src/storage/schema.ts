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
  /** "<smaller id>:<larger id>" for one-to-one conversations, so each pair has at most one. */
  direct_key: string | null;
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
}
