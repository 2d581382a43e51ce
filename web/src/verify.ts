// The Verify button's checks (DESIGN.md "Transparency log"), all in the browser with @parley/tlog:
// the latest checkpoint's signature, that it extends the last checkpoint this browser saw, and for
// each shown entry that its leaf bytes are exactly the entry shown and that the leaf is in the tree.
import {
  bytesEqual,
  decodeBase64,
  emptyRoot,
  encodeBase64,
  hashLeaf,
  isTlogError,
  openCheckpoint,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
  type Checkpoint,
} from '@parley/tlog';
import { api, errorMessage, type AccessLogItem } from './api';

/** The last checkpoint this browser verified, kept so the next check can prove the log only grew. */
export type SeenCheckpoint = { origin: string; size: number; root: string };

const STORAGE_KEY = 'parley.transparency.lastCheckpoint';

export function loadSeenCheckpoint(): SeenCheckpoint | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    if (
      typeof value === 'object' &&
      value !== null &&
      'origin' in value &&
      'size' in value &&
      'root' in value &&
      typeof value.origin === 'string' &&
      typeof value.size === 'number' &&
      Number.isSafeInteger(value.size) &&
      value.size >= 0 &&
      typeof value.root === 'string'
    ) {
      return { origin: value.origin, size: value.size, root: value.root };
    }
  } catch {
    // Unreadable storage counts as never having checked.
  }
  return null;
}

function saveSeenCheckpoint(seen: SeenCheckpoint): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(seen));
  } catch {
    // Private browsing may refuse storage; the check itself still happened.
  }
}

export type EntryCheck =
  { status: 'verified' } | { status: 'pending' } | { status: 'failed'; reason: string };

export type ConsistencyCheck =
  | { status: 'first' }
  | { status: 'same'; size: number }
  | { status: 'grew'; from: number; to: number }
  | { status: 'other-log'; previousOrigin: string }
  | { status: 'failed'; from: number; to: number; reason: string };

export type VerifyReport =
  | { ok: false; reason: string }
  | {
      ok: true;
      checkpoint: { origin: string; size: number; root: string };
      consistency: ConsistencyCheck;
      entries: Map<number, EntryCheck>;
    };

/** decodeBase64 returns undefined for anything but canonical base64; here that is a failure. */
function fromBase64(text: string, what: string): Uint8Array {
  const bytes = decodeBase64(text);
  if (!bytes) throw new Error(`${what} is not valid base64`);
  return bytes;
}

function reasonOf(error: unknown): string {
  if (isTlogError(error)) return error.message;
  return errorMessage(error);
}

/** The log's origin is the verifier key's name: the text before the first `+`. */
function originOf(verifierKey: string): string {
  const plus = verifierKey.indexOf('+');
  return plus === -1 ? verifierKey : verifierKey.slice(0, plus);
}

export async function verifyAccessLog(items: readonly AccessLogItem[]): Promise<VerifyReport> {
  let checkpoint: Checkpoint;
  try {
    const [keyText, note] = await Promise.all([api.transparencyKey(), api.transparencyCheckpoint()]);
    const key = keyText.trim();
    const verifier = await parseVerifierKey(key);
    ({ checkpoint } = await openCheckpoint(note, { origin: originOf(key), verifiers: [verifier] }));
  } catch (error) {
    return { ok: false, reason: `The log’s checkpoint could not be verified: ${reasonOf(error)}` };
  }

  const root = encodeBase64(checkpoint.rootHash);
  const consistency = await checkConsistency(loadSeenCheckpoint(), checkpoint);
  // A checkpoint that does not extend the last one seen is not remembered: the next check
  // compares against the one that was trusted, and fails again.
  if (consistency.status !== 'failed') {
    saveSeenCheckpoint({ origin: checkpoint.origin, size: checkpoint.size, root });
  }

  const entries = new Map<number, EntryCheck>();
  // A few proofs at a time: enough to be quick, few enough not to flood the server.
  const queue = [...items];
  async function worker(): Promise<void> {
    for (let item = queue.shift(); item; item = queue.shift()) {
      entries.set(item.index, await checkEntry(item, checkpoint));
    }
  }
  await Promise.all(Array.from({ length: Math.min(4, items.length) }, worker));

  return {
    ok: true,
    checkpoint: { origin: checkpoint.origin, size: checkpoint.size, root },
    consistency,
    entries,
  };
}

async function checkConsistency(seen: SeenCheckpoint | null, next: Checkpoint): Promise<ConsistencyCheck> {
  if (!seen) return { status: 'first' };
  if (seen.origin !== next.origin) return { status: 'other-log', previousOrigin: seen.origin };
  const from = seen.size;
  const to = next.size;
  try {
    const oldRoot = fromBase64(seen.root, 'the remembered root');
    if (from > to) throw new Error(`the log is now smaller (${to}) than when you last checked (${from})`);
    if (from === 0) {
      if (!bytesEqual(oldRoot, emptyRoot())) throw new Error('the remembered empty checkpoint has a root');
    } else if (from === to) {
      if (!bytesEqual(oldRoot, next.rootHash)) throw new Error('the same size now has a different root');
      return { status: 'same', size: to };
    } else {
      const proof = await api.consistencyProof(from, to);
      if (proof.from !== from || proof.to !== to) throw new Error('the server answered for other sizes');
      await verifyConsistency({
        oldSize: from,
        newSize: to,
        oldRoot,
        newRoot: next.rootHash,
        proof: proof.hashes.map((h) => fromBase64(h, 'a proof hash')),
      });
    }
    return { status: 'grew', from, to };
  } catch (error) {
    return { status: 'failed', from, to, reason: reasonOf(error) };
  }
}

async function checkEntry(item: AccessLogItem, checkpoint: Checkpoint): Promise<EntryCheck> {
  let leaf: Uint8Array;
  try {
    leaf = fromBase64(item.leaf, 'the leaf');
    const decoded: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(leaf));
    if (!sameJson(decoded, item.entry)) {
      return { status: 'failed', reason: 'the recorded leaf says something other than the entry shown' };
    }
  } catch {
    return { status: 'failed', reason: 'the recorded leaf is not readable' };
  }
  if (item.index >= checkpoint.size) return { status: 'pending' };
  try {
    const proof = await api.inclusionProof(item.index, checkpoint.size);
    if (proof.index !== item.index || proof.treeSize !== checkpoint.size) {
      return { status: 'failed', reason: 'the server answered with a proof for another entry' };
    }
    await verifyInclusion({
      leafHash: await hashLeaf(leaf),
      index: item.index,
      treeSize: checkpoint.size,
      proof: proof.hashes.map((h) => fromBase64(h, 'a proof hash')),
      rootHash: checkpoint.rootHash,
    });
    return { status: 'verified' };
  } catch (error) {
    return { status: 'failed', reason: reasonOf(error) };
  }
}

/** Deep equality of JSON values; object key order does not matter, extra or missing keys do. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((value, i) => sameJson(value, b[i]))
    );
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.prototype.hasOwnProperty.call(b, k) &&
        sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}
