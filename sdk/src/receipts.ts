// Checking an access receipt against the transparency log (DESIGN.md "Transparency log"): the
// entry's exact leaf bytes are in a tree whose head the log signed, and that head extends every
// head this verifier saw before. All the cryptography is @parley/tlog's: RFC 9162 proofs and
// C2SP checkpoints with Ed25519 note signatures.
import {
  decodeBase64,
  encodeBase64,
  hashLeaf,
  isTlogError,
  openCheckpoint,
  parseVerifierKey,
  verifyExtends,
  verifyInclusion,
  type Checkpoint,
  type NoteVerifier,
} from '@parley/tlog';
import type { ParleyClient } from './client.js';
import { ParleyApiError, ParleyVerificationError, type VerificationStep } from './errors.js';

/** A tree head: its size and base64 root hash. */
export interface SeenTreeHead {
  size: number;
  /** base64 (RFC 4648 §4) of the 32-byte root hash. */
  rootHash: string;
}

/** The options of a {@link ReceiptVerifier}. */
export interface ReceiptVerifierOptions {
  /** The client whose token may read the entries (the app's own, about its person). */
  client: ParleyClient;
  /**
   * The log's note verifier key, `<name>+<key id>+<base64 key>`, pinned out of band. Without it,
   * the key is fetched once from `/v1/transparency/key`, which trusts that first answer.
   */
  verifierKey?: string;
  /** The last head seen earlier (kept from {@link ReceiptVerifier.lastSeen}): new heads must extend it. */
  lastSeen?: SeenTreeHead;
  /** How long to wait for a checkpoint that covers a new entry; default 3000 ms (the log signs within 500 ms). */
  maxWaitMs?: number;
}

/** What a successful verification proved: entry `index` is in the signed tree of `treeSize` with `rootHash`. */
export interface VerifiedReceipt {
  index: number;
  treeSize: number;
  /** base64 of the signed root hash. */
  rootHash: string;
}

const POLL_INTERVAL_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fail(step: VerificationStep, message: string, cause?: unknown): never {
  throw new ParleyVerificationError(step, message, cause === undefined ? undefined : { cause });
}

/** Runs a check; a failure of @parley/tlog's becomes a ParleyVerificationError of this step. */
async function checked<T>(step: VerificationStep, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isTlogError(error)) fail(step, `${what}: ${error.message}`, error);
    throw error;
  }
}

function base64Bytes(step: VerificationStep, text: string, what: string): Uint8Array {
  const bytes = decodeBase64(text);
  if (!bytes) fail(step, `${what} is not valid base64`);
  return bytes;
}

/** Deep equality of JSON values; object key order does not matter. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]))
    );
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every(
      (k) =>
        Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

/**
 * Checks access receipts (the indexes from {@link receiptOf}) against Parley's transparency log.
 * Keep one verifier per app and persist {@link lastSeen}, so each new signed head is checked to
 * extend the last one seen: a log that rewrote its history since then is caught.
 *
 * @example
 * const verifier = new ReceiptVerifier({ client, verifierKey: PINNED_KEY });
 * for (const index of receiptOf(message) ?? []) await verifier.verify(index);
 */
export class ReceiptVerifier {
  private readonly client: ParleyClient;
  private readonly pinnedKey: string | undefined;
  private readonly maxWaitMs: number;
  private key: Promise<{ verifier: NoteVerifier; origin: string }> | undefined;
  private seen: SeenTreeHead | undefined;
  /** Head checks run one at a time, so each new head is compared with the one seen just before. */
  private headQueue: Promise<unknown> = Promise.resolve();

  constructor(options: ReceiptVerifierOptions) {
    this.client = options.client;
    this.pinnedKey = options.verifierKey;
    this.maxWaitMs = options.maxWaitMs ?? 3000;
    if (options.lastSeen) this.seen = { ...options.lastSeen };
  }

  /** The latest signed head this verifier checked; persist it to keep checking across restarts. */
  get lastSeen(): SeenTreeHead | undefined {
    return this.seen ? { ...this.seen } : undefined;
  }

  /**
   * Verifies log entry `index`: fetches this app's entry (its exact leaf bytes) and the latest
   * checkpoint, checks the checkpoint's Ed25519 note signature with the verifier key, waits
   * briefly if it does not yet cover the entry, checks that it extends the last head seen
   * (RFC 9162 §2.1.4.2), and checks the inclusion proof of SHA-256(0x00 ‖ leaf) against its root
   * (§2.1.3.2). Throws {@link ParleyVerificationError} whose `step` names the check that failed.
   */
  async verify(index: number): Promise<VerifiedReceipt> {
    if (!Number.isSafeInteger(index) || index < 0) fail('entry', `${index} is not a log index`);
    const leaf = await this.leafOf(index);
    const head = await this.serialized(() => this.headCovering(index));
    const proof = await this.client.transparency.inclusionProof(index, head.size);
    if (proof.index !== index || proof.treeSize !== head.size) {
      fail(
        'inclusion',
        `asked for the proof of ${index} in ${head.size}, got ${proof.index} in ${proof.treeSize}`,
      );
    }
    await checked('inclusion', `entry ${index} is not in the signed tree of size ${head.size}`, async () =>
      verifyInclusion({
        leafHash: await hashLeaf(leaf),
        index,
        treeSize: head.size,
        proof: proof.hashes.map((hash) => base64Bytes('inclusion', hash, 'a proof hash')),
        rootHash: head.rootHash,
      }),
    );
    return { index, treeSize: head.size, rootHash: encodeBase64(head.rootHash) };
  }

  /** The exact leaf bytes of this app's entry `index`, checked to say what the entry says. */
  private async leafOf(index: number): Promise<Uint8Array> {
    let entry;
    try {
      entry = await this.client.transparency.entry(index);
    } catch (error) {
      if (error instanceof ParleyApiError && error.status === 404) {
        fail('entry', `the log has no entry ${index} of this app about this person`, error);
      }
      throw error;
    }
    if (entry.index !== index) fail('entry', `asked for entry ${index}, got ${entry.index}`);
    const leaf = base64Bytes('entry', entry.leaf, 'the leaf');
    let decoded: unknown;
    try {
      decoded = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(leaf));
    } catch (error) {
      fail('entry', `the leaf of entry ${index} is not JSON`, error);
    }
    if (!sameJson(decoded, entry.entry))
      fail('entry', `the leaf of entry ${index} says something else than its entry`);
    return leaf;
  }

  private serialized<T>(run: () => Promise<T>): Promise<T> {
    const result = this.headQueue.then(run);
    this.headQueue = result.catch(() => undefined);
    return result;
  }

  private verifierKey(): Promise<{ verifier: NoteVerifier; origin: string }> {
    this.key ??= (async () => {
      const key = this.pinnedKey ?? (await this.client.transparency.key());
      const verifier = await checked('checkpoint', 'the log verifier key is not usable', () =>
        parseVerifierKey(key),
      );
      // The log's key name is its origin (C2SP tlog-checkpoint).
      return { verifier, origin: verifier.name };
    })();
    // A failed fetch is not remembered: the next verify asks again.
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }

  /** A signed checkpoint that covers `index` and extends the last head seen; remembered as seen. */
  private async headCovering(index: number): Promise<Checkpoint> {
    const { verifier, origin } = await this.verifierKey();
    const startedAt = Date.now();
    for (;;) {
      const note = await this.client.transparency.checkpoint();
      const { checkpoint } = await checked('checkpoint', 'the checkpoint is not signed by the log key', () =>
        openCheckpoint(note, { origin, verifiers: [verifier] }),
      );
      if (checkpoint.size > index) {
        await this.checkExtendsSeen(checkpoint);
        this.seen = { size: checkpoint.size, rootHash: encodeBase64(checkpoint.rootHash) };
        return checkpoint;
      }
      // The log signs new entries within its merge delay (500 ms); a fresh receipt may be ahead of it.
      if (Date.now() - startedAt >= this.maxWaitMs) {
        fail(
          'checkpoint',
          `no signed checkpoint covers entry ${index} after ${this.maxWaitMs} ms (latest size ${checkpoint.size})`,
        );
      }
      await sleep(POLL_INTERVAL_MS);
    }
  }

  private async checkExtendsSeen(next: Checkpoint): Promise<void> {
    const previous = this.seen;
    if (!previous) return;
    const oldRoot = base64Bytes('consistency', previous.rootHash, 'the last seen root');
    if (next.size < previous.size) {
      fail('consistency', `the log's signed size went down from ${previous.size} to ${next.size}`);
    }
    let hashes: Uint8Array[] = [];
    // Sizes 0 and equal sizes need no proof (and the server gives none from 0).
    if (previous.size > 0 && previous.size < next.size) {
      const proof = await this.client.transparency.consistencyProof(previous.size, next.size);
      if (proof.from !== previous.size || proof.to !== next.size) {
        fail('consistency', `asked for ${previous.size}→${next.size}, got ${proof.from}→${proof.to}`);
      }
      hashes = proof.hashes.map((hash) => base64Bytes('consistency', hash, 'a proof hash'));
    }
    await checked(
      'consistency',
      `the signed tree of size ${next.size} does not extend the one of size ${previous.size} seen before`,
      () => verifyExtends({ size: previous.size, rootHash: oldRoot }, next, hashes),
    );
  }
}
