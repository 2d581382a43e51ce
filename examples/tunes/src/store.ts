// Everything Tunes remembers, in one small JSON file in the data folder: the people who
// connected (their Parley id, name and tokens) and the browser sessions that belong to them.
// Written whole and atomically (a temporary file, then rename), so a crash leaves either the
// old file or the new one, and a restart keeps everyone connected.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  scopes: string[];
}

/**
 * Why a person's tokens were forgotten: revoked in Parley (the grant.revoked webhook), expired
 * (grant.expired, or an access token ran out with no refresh token), or ended — Parley refused
 * the token or the refresh, which it does alike for both.
 */
export type LostAccess = 'revoked' | 'expired' | 'ended';

export interface Person {
  /** The Parley `sub`: the person's identity in Tunes. */
  sub: string;
  username: string;
  displayName: string;
  /** The Parley grant the tokens belong to: a grant.revoked webhook for another grant is not about them. */
  grantId: string | null;
  /** null once the connection ended; the page then offers "Connect again". */
  tokens: StoredTokens | null;
  lostAccess: LostAccess | null;
  connectedAt: string;
}

interface Session {
  sub: string;
  createdAt: string;
}

interface Data {
  version: 1;
  people: Record<string, Person>;
  /** By the SHA-256 of the cookie value, so the file alone cannot be used to log in. */
  sessions: Record<string, Session>;
}

const EMPTY: Data = { version: 1, people: {}, sessions: {} };

/** As long as the session cookie lives. */
export const SESSION_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

const isFresh = (session: Session) => Date.parse(session.createdAt) + SESSION_MAX_AGE_MS > Date.now();

function sessionKey(cookieValue: string): string {
  return createHash('sha256').update(cookieValue).digest('base64url');
}

export interface Store {
  person(sub: string): Person | undefined;
  people(): Person[];
  savePerson(person: Person): Promise<void>;
  /** Changes a stored person; no-op (undefined) when they are not known. */
  updatePerson(sub: string, change: (person: Person) => void): Promise<Person | undefined>;
  sessionPerson(cookieValue: string): Person | undefined;
  addSession(cookieValue: string, sub: string): Promise<void>;
  deleteSession(cookieValue: string): Promise<void>;
}

export async function openStore(dataDir: string, fileName: string): Promise<Store> {
  const file = path.join(dataDir, fileName);
  await fs.mkdir(dataDir, { recursive: true });
  let data: Data;
  try {
    data = JSON.parse(await fs.readFile(file, 'utf8')) as Data;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    data = structuredClone(EMPTY);
  }

  // One write at a time, each of the whole current state: the last write always wins.
  let writing: Promise<void> = Promise.resolve();
  function persist(): Promise<void> {
    const run = writing.then(async () => {
      const temporary = `${file}.${process.pid}.tmp`;
      // Tokens are secrets: readable by this user only. On disk before the rename makes it the file.
      const handle = await fs.open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(JSON.stringify(data, null, 2));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temporary, file);
    });
    writing = run.catch(() => undefined);
    return run;
  }

  return {
    person: (sub) => data.people[sub],
    people: () => Object.values(data.people),
    async savePerson(person) {
      data.people[person.sub] = person;
      await persist();
    },
    async updatePerson(sub, change) {
      const person = data.people[sub];
      if (!person) return undefined;
      change(person);
      await persist();
      return person;
    },
    sessionPerson(cookieValue) {
      const session = data.sessions[sessionKey(cookieValue)];
      return session && isFresh(session) ? data.people[session.sub] : undefined;
    },
    async addSession(cookieValue, sub) {
      for (const [key, session] of Object.entries(data.sessions))
        if (!isFresh(session)) delete data.sessions[key];
      data.sessions[sessionKey(cookieValue)] = { sub, createdAt: new Date().toISOString() };
      await persist();
    },
    async deleteSession(cookieValue) {
      delete data.sessions[sessionKey(cookieValue)];
      await persist();
    },
  };
}
