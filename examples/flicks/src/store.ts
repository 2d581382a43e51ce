// Everything Flicks remembers, in one small JSON file in the data folder: the people who
// connected (their Parley id, name and tokens), what they recommended through Parley's share
// dialog (the conversation and message ids it handed back: Flicks cannot read them, only post
// follow-ups and take back its own messages), and the browser sessions that belong to them.
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

/** A message in one of the recommendation's conversations. */
export interface SentMessage {
  messageId: string;
  threadId: string;
  /** The transparency-log entry of Flicks's request, when Flicks sent it (not the share dialog). */
  receipt: number | null;
}

/** A follow-up: the same text posted by Flicks in each of the recommendation's conversations. */
export interface FollowUp {
  id: string;
  text: string;
  sentAt: string;
  messages: SentMessage[];
}

/**
 * A show recommended through Parley's share dialog. Flicks holds the conversation and message
 * ids the dialog handed back, never who is in those conversations or what else is said there.
 */
export interface Recommendation {
  id: string;
  showId: string;
  createdAt: string;
  /** The show's card, one per conversation, sent by the share dialog "via" Flicks. */
  cards: SentMessage[];
  followUps: FollowUp[];
  /** When the person took it all back (Flicks deleted the cards and follow-ups). */
  unsentAt: string | null;
  /** The transparency-log entries of those deletions. */
  unsendReceipts: number[];
}

/**
 * Why a person's tokens were forgotten: revoked in Parley (the grant.revoked webhook), expired
 * (grant.expired, or an access token ran out with no refresh token), or ended — Parley refused
 * the token or the refresh, which it does alike for both.
 */
export type LostAccess = 'revoked' | 'expired' | 'ended';

export interface Person {
  /** The Parley `sub`: the person's identity in Flicks. */
  sub: string;
  username: string;
  displayName: string;
  /** The Parley grant the tokens belong to: a grant.revoked webhook for another grant is not about them. */
  grantId: string | null;
  /** null once the connection ended; the page then offers "Connect again". */
  tokens: StoredTokens | null;
  lostAccess: LostAccess | null;
  connectedAt: string;
  /** Newest first. */
  recommendations: Recommendation[];
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
