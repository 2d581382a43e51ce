// Accounts and sessions: sign up, log in (throttled per account and per address), log out,
// and turning a session cookie back into a person.
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import type { Actor } from '../policy/authorize.js';
import { isUniqueViolation } from '../storage/database.js';
import type { ServiceDeps } from './deps.js';
import { must } from './guard.js';
import { userView, type UserView } from './views.js';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** Record last use at most this often, so reads do not write on every request. */
const SESSION_TOUCH_MS = 3600 * 1000;

/** Failures allowed per key within one window before logins for that key are refused. */
export const THROTTLE = {
  windowMs: 15 * 60 * 1000,
  perAccount: 5,
  perAddress: 30,
} as const;

export interface SessionPerson extends UserView {
  createdAt: string;
  sessionId: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function createAuthService(deps: ServiceDeps) {
  const { storage, clock, passwords } = deps;
  // Verifying against a real hash when the username is unknown keeps the response time
  // from telling which usernames exist.
  const decoyHash = passwords.hash(randomBytes(16).toString('hex'));

  async function openSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await storage.repos.sessions.insert({
      id: hashToken(token),
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    });
    return { token, expiresAt };
  }

  async function checkThrottle(keys: { account: string; address: string }): Promise<void> {
    const now = clock.now().getTime();
    const rows = await storage.repos.throttle.findMany([keys.account, keys.address]);
    for (const row of rows) {
      const limit = row.key === keys.account ? THROTTLE.perAccount : THROTTLE.perAddress;
      const windowEnd = Date.parse(row.window_started_at) + THROTTLE.windowMs;
      if (row.failures >= limit && windowEnd > now) {
        const seconds = Math.ceil((windowEnd - now) / 1000);
        throw new AppError(
          'too_many_attempts',
          `Too many failed logins. Try again in ${Math.ceil(seconds / 60)} minute(s).`,
          { 'retry-after': String(seconds) },
        );
      }
    }
  }

  async function recordFailure(keys: { account: string; address: string }): Promise<void> {
    const now = clock.now();
    await storage.transaction(async (repos) => {
      const rows = await repos.throttle.findMany([keys.account, keys.address]);
      for (const key of [keys.account, keys.address]) {
        const row = rows.find((r) => r.key === key);
        const isFresh = row && Date.parse(row.window_started_at) + THROTTLE.windowMs > now.getTime();
        await repos.throttle.put(
          isFresh
            ? { ...row, failures: row.failures + 1 }
            : { key, failures: 1, window_started_at: now.toISOString() },
        );
      }
    });
  }

  return {
    async signup(input: { username: string; displayName: string; password: string }) {
      const now = clock.now().toISOString();
      const user = {
        id: newId(),
        username: input.username,
        display_name: input.displayName.trim(),
        password_hash: await passwords.hash(input.password),
        created_at: now,
      };
      try {
        await storage.repos.users.insert(user);
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('username_taken', `"${input.username}" is taken.`);
        throw error;
      }
      const session = await openSession(user.id);
      return { user: userView(user), ...session };
    },

    async login(input: { username: string; password: string; address: string }) {
      const keys = { account: `account:${input.username}`, address: `address:${input.address}` };
      await checkThrottle(keys);
      const user = await storage.repos.users.findByUsername(input.username);
      const isValid = await passwords.verify(input.password, user?.password_hash ?? (await decoyHash));
      if (!user || !isValid) {
        await recordFailure(keys);
        throw new AppError('invalid_credentials');
      }
      await storage.repos.throttle.delete(keys.account);
      const session = await openSession(user.id);
      return { user: userView(user), ...session };
    },

    async logout(token: string): Promise<void> {
      await storage.repos.sessions.delete(hashToken(token));
    },

    /** The acting person's own account. */
    me(actor: Actor, person: SessionPerson) {
      must(
        actor,
        'account.read',
        { kind: 'account', userId: person.id },
        () => new AppError('not_authenticated'),
      );
      return {
        id: person.id,
        username: person.username,
        displayName: person.displayName,
        createdAt: person.createdAt,
      };
    },

    /** The person behind a session cookie, or null if it is unknown, revoked or expired. */
    async personForToken(token: string): Promise<SessionPerson | null> {
      const now = clock.now();
      const session = await storage.repos.sessions.findLive(hashToken(token), now.toISOString());
      if (!session) return null;
      if (now.getTime() - Date.parse(session.last_seen_at) > SESSION_TOUCH_MS) {
        await storage.repos.sessions.touch(session.id, now.toISOString());
      }
      return {
        id: session.user_id,
        username: session.username,
        displayName: session.display_name,
        createdAt: session.user_created_at,
        sessionId: session.id,
      };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
