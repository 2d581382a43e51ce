// The transparency log (DESIGN.md "Transparency log"): every partner access to personal data is
// appended — in the same transaction as any write, before the response leaves — as an RFC 8785
// canonical JSON leaf of an RFC 9162 Merkle tree. Appends cost O(log n) hashing (the frontier is
// kept in the state row), proofs read O(log n) stored nodes, and a signer publishes C2SP
// checkpoints at most a second behind.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompactTree,
  consistencyProof,
  decodeBase64,
  encodeBase64,
  inclusionProof,
  parseSignerKey,
  generateSignerKey,
  signCheckpoint,
  type NodeHashSource,
  type NoteSigner,
} from '@parley/tlog';
import { AppError } from '../errors.js';
import type { Actor } from '../policy/authorize.js';
import type { Clock } from '../lib/clock.js';
import { canonicalJson } from '../lib/canonical-json.js';
import { randomBytesFromPool } from '../lib/random-pool.js';
import { hashChildrenSync, hashLeafSync } from '../lib/tlog-hash.js';
import type { Storage } from '../storage/database.js';
import type { Repositories } from '../storage/repositories/index.js';
import type { TlogEntryRow } from '../storage/repositories/tlog.repository.js';
import { must } from './guard.js';

/** One partner access, as it is recorded. */
export interface AccessEvent {
  /** The app that accessed. */
  clientId: string;
  grantId: string;
  /** The person the app acted for. */
  actorId: string;
  /** The policy action (e.g. app_thread.read). */
  action: string;
  /** What was touched: conversation and message ids. */
  resources: { threadIds?: readonly string[]; messageIds?: readonly string[] };
  /** Everyone whose data was touched: authors of messages read, recipients, the granting person. */
  subjects: readonly string[];
}

/** The leaf as stored and verified (its canonical JSON bytes are the leaf). */
export interface AccessLeaf {
  v: 1;
  time: string;
  app: string;
  grant: string;
  actor: string;
  action: string;
  threads: string[];
  messages: string[];
  subjects: string[];
  /** Random, so a leaf hash reveals nothing about the access. */
  salt: string;
}

/** The who-and-how of an access by an app actor (the rest of an AccessEvent is what was touched). */
export function accessOf(
  actor: { clientId: string; userId: string; grant: { id: string } },
  action: string,
): Pick<AccessEvent, 'clientId' | 'grantId' | 'actorId' | 'action'> {
  return { clientId: actor.clientId, grantId: actor.grant.id, actorId: actor.userId, action };
}

/** What every use-case that touches personal data for an app calls. */
export interface AccessLog {
  /** Appends the entry inside the caller's transaction (a write and its entry commit together). */
  record(repos: Repositories, event: AccessEvent): Promise<number>;
  /**
   * Appends an entry that goes with no write of the caller (a read), in a transaction shared
   * with other such entries arriving meanwhile; resolves once it is durable. Same promise as a
   * transaction of its own — on disk before the answer — at a fraction of the cost per entry.
   */
  recordAlone(event: AccessEvent): Promise<number>;
}

/** Most entries one shared transaction appends (a bound on its time and size). */
const MAX_BATCH = 256;

/** Receipts of the current request, for the Access-Receipt header (set by the HTTP layer). */
export const receipts = new AsyncLocalStorage<number[]>();

/** The merge delay: the signer publishes a checkpoint at least this often when the tree grew. */
export const CHECKPOINT_INTERVAL_MS = 500;

const SIGNER_SECRET = 'tlog.signer_key';

export function logOriginOf(publicUrl: string): string {
  const url = new URL(publicUrl);
  return `${url.host}${url.pathname.replace(/\/$/, '')}/transparency`;
}

const b64 = (bytes: Uint8Array) => encodeBase64(bytes);
function unb64(text: string): Uint8Array {
  const bytes = decodeBase64(text);
  if (!bytes) throw new Error('corrupt base64 in the transparency log');
  return bytes;
}

export function createTransparencyService(deps: { storage: Storage; clock: Clock; origin: string }) {
  const { storage, clock, origin } = deps;
  let signer: Promise<NoteSigner> | undefined;

  const loadSigner = () =>
    (signer ??= (async () => {
      const existing = await storage.repos.secrets.find(SIGNER_SECRET);
      const key =
        existing ??
        (await storage.repos.secrets.putIfAbsent(
          SIGNER_SECRET,
          (await generateSignerKey(origin)).signerKey,
          clock.now().toISOString(),
        ));
      return parseSignerKey(key);
    })());

  const nodeSource = (repos: Repositories): NodeHashSource => ({
    async getNodeHashes(ids) {
      const hashes = await repos.tlog.nodeHashes(ids);
      return hashes.map((hash, i) => {
        if (!hash) throw new Error(`missing node ${ids[i]?.level}/${ids[i]?.index}`);
        return unb64(hash);
      });
    },
  });

  function leafOf(event: AccessEvent): { leaf: AccessLeaf; bytes: Uint8Array } {
    const leaf: AccessLeaf = {
      v: 1,
      time: clock.now().toISOString(),
      app: event.clientId,
      grant: event.grantId,
      actor: event.actorId,
      action: event.action,
      threads: [...new Set(event.resources.threadIds ?? [])].sort(),
      messages: [...new Set(event.resources.messageIds ?? [])].sort(),
      subjects: [...new Set(event.subjects)].sort(),
      salt: randomBytesFromPool(16).toString('base64'),
    };
    const bytes = new TextEncoder().encode(
      canonicalJson(leaf as unknown as Parameters<typeof canonicalJson>[0]),
    );
    return { leaf, bytes };
  }

  /** Appends entries in the given transaction: one state lock, one tree update, multi-row inserts. */
  async function appendAll(repos: Repositories, events: readonly AccessEvent[]): Promise<number[]> {
    const leaves = events.map(leafOf);
    const hashes = leaves.map((l) => hashLeafSync(l.bytes));
    const state = await repos.tlog.lockState();
    const tree = CompactTree.restore(state.size, state.frontier.map(unb64), {
      hashChildren: hashChildrenSync,
    });
    const { start, root, nodes } = await tree.appendAll(hashes);
    await repos.tlog.insertEntries(
      leaves.map(({ leaf, bytes }, i) => ({
        row: { idx: start + i, leaf: b64(bytes), client_id: leaf.app, created_at: leaf.time },
        subjects: leaf.subjects,
      })),
      nodes.map((n) => ({ level: n.level, idx: n.index, hash: b64(n.hash) })),
    );
    await repos.tlog.putState({ size: tree.size, root: b64(root), frontier: tree.frontier().map(b64) });
    return leaves.map((_, i) => start + i);
  }

  const record: AccessLog['record'] = async (repos, event) => {
    const [index] = await appendAll(repos, [event]);
    receipts.getStore()?.push(index!);
    return index!;
  };

  // Entries that stand alone wait here while a shared transaction is running, and go together
  // in the next one: the batch grows with the load, and a lone entry goes on the next turn.
  const waiting: {
    event: AccessEvent;
    resolve: (index: number) => void;
    reject: (error: unknown) => void;
  }[] = [];
  let isAppending = false;
  async function drain(): Promise<void> {
    isAppending = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.splice(0, MAX_BATCH);
        try {
          // storage.transaction returns once the commit is durable (group commit on SQLite).
          const indexes = await storage.transaction((repos) =>
            appendAll(
              repos,
              batch.map((w) => w.event),
            ),
          );
          batch.forEach((w, i) => w.resolve(indexes[i]!));
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      isAppending = false;
    }
  }
  const recordAlone: AccessLog['recordAlone'] = async (event) => {
    const index = await new Promise<number>((resolve, reject) => {
      waiting.push({ event, resolve, reject });
      if (!isAppending) {
        // Started on the next turn: requests read from the sockets in this one join the batch
        // (6.0 -> 7.6 entries a transaction under partner.me's load).
        isAppending = true;
        setImmediate(() => void drain());
      }
    });
    // In the caller's own context: its answer names this entry.
    receipts.getStore()?.push(index);
    return index;
  };

  function view(row: TlogEntryRow) {
    const entry = JSON.parse(new TextDecoder().decode(unb64(row.leaf))) as AccessLeaf;
    return { index: row.idx, leaf: row.leaf, entry };
  }

  function page(rows: TlogEntryRow[], limit: number) {
    const items = rows.slice(0, limit).map(view);
    const last = items.at(-1);
    return rows.length > limit && last ? { items, nextCursor: String(last.index) } : { items };
  }

  async function checkSize(size: number, what: string, max: number): Promise<void> {
    if (!Number.isSafeInteger(size) || size < 0 || size > max) {
      throw new AppError('invalid_request', `${what} must be between 0 and ${max}.`);
    }
  }

  return {
    record,
    recordAlone,

    /** Signs the current tree head if it grew since the last checkpoint; returns the new one. */
    async signPending(): Promise<{ size: number; note: string } | null> {
      const [state, latest] = await Promise.all([
        storage.repos.tlog.state(),
        storage.repos.tlog.latestCheckpoint(),
      ]);
      if (latest && latest.size >= state.size) return null;
      const note = await signCheckpoint({ origin, size: state.size, rootHash: unb64(state.root) }, [
        await loadSigner(),
      ]);
      await storage.repos.tlog.insertCheckpoint({
        size: state.size,
        root: state.root,
        note,
        signed_at: clock.now().toISOString(),
      });
      return { size: state.size, note };
    },

    async latestCheckpoint(): Promise<string> {
      const latest = (await storage.repos.tlog.latestCheckpoint()) ?? (await this.signPending());
      if (!latest) throw new AppError('service_unavailable', 'No checkpoint yet.');
      return latest.note;
    },

    async verifierKey(): Promise<string> {
      return (await loadSigner()).verifierKey;
    },

    async inclusion(index: number, size: number) {
      const published = (await storage.repos.tlog.latestCheckpoint())?.size ?? 0;
      await checkSize(size, 'size', published);
      if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
        throw new AppError('invalid_request', 'index must be below size.');
      }
      const hashes = await inclusionProof(nodeSource(storage.repos), index, size);
      return { index, treeSize: size, hashes: hashes.map(b64) };
    },

    async consistency(from: number, to: number) {
      const published = (await storage.repos.tlog.latestCheckpoint())?.size ?? 0;
      await checkSize(to, 'to', published);
      if (!Number.isSafeInteger(from) || from < 1 || from > to) {
        throw new AppError('invalid_request', 'from must be between 1 and to.');
      }
      const hashes = await consistencyProof(nodeSource(storage.repos), from, to);
      return { from, to, hashes: hashes.map(b64) };
    },

    /** The entries about a person: everyone whose data was touched reads them (the rule as a filter). */
    async entriesAbout(
      actor: Actor,
      options: { app?: string | undefined; before?: string | undefined; limit: number },
    ) {
      must(
        actor,
        'account.read',
        { kind: 'account', userId: actor.userId },
        () => new AppError('not_authenticated'),
      );
      const rows = await storage.repos.tlog.entriesAbout(actor.userId, {
        ...(options.app ? { clientId: options.app } : {}),
        ...(options.before ? { before: Number(options.before) } : {}),
        limit: options.limit + 1,
      });
      return page(rows, options.limit);
    },

    /**
     * One of the app's own entries about the person its token acts for, with the leaf bytes, so
     * a partner can check its Access-Receipt against a signed checkpoint. Any other index is 404,
     * the same as a missing one. Not itself logged: it discloses only the app's own access.
     */
    async entryForApp(actor: Extract<Actor, { kind: 'app' }>, index: number) {
      must(
        actor,
        'grant.read',
        { kind: 'account', userId: actor.userId },
        () => new AppError('insufficient_scope', 'This token cannot read log entries.'),
      );
      const [row] = Number.isSafeInteger(index)
        ? await storage.repos.tlog.entriesInRange(index, index + 1)
        : [];
      const found = row && row.client_id === actor.clientId ? view(row) : undefined;
      if (!found || found.entry.actor !== actor.userId) throw new AppError('entry_not_found');
      return found;
    },

    /** An app's own entries, for its developer (the caller checked ownership). */
    async entriesOfApp(clientId: string, options: { before?: string | undefined; limit: number }) {
      const rows = await storage.repos.tlog.entriesOfApp(clientId, {
        ...(options.before ? { before: Number(options.before) } : {}),
        limit: options.limit + 1,
      });
      return page(rows, options.limit);
    },
  };
}

export type TransparencyService = ReturnType<typeof createTransparencyService>;
