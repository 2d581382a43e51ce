// `parley log verify`: recompute the whole log from the stored leaves and check everything the
// server ever stored or published against it — every stored node, every checkpoint's root and
// signature, and (implied by both) that each published head extends the one before.
// O(n) hashing, O(log n) memory besides one batch of rows.
import {
  CompactTree,
  decodeBase64,
  encodeBase64,
  hashLeaf,
  openCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  type NoteVerifier,
} from '@parley/tlog';
import type { Storage } from '../storage/database.js';

export interface VerifyReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** The first problem, naming the index, node or checkpoint. */
  problem?: string;
}

const BATCH = 1000;

export async function verifyLog(storage: Storage): Promise<VerifyReport> {
  const repos = storage.repos;
  const state = await repos.tlog.state();
  const checkpoints = await repos.tlog.allCheckpoints();
  const signerKey = await repos.secrets.find('tlog.signer_key');
  const verifier = signerKey ? await parseVerifierFromSigner(signerKey) : null;
  // The log's origin is its key's name (the log was created under it, whatever PUBLIC_URL says now).
  const origin = verifier?.name ?? '';
  const fail = (problem: string, entries: number): VerifyReport => ({
    ok: false,
    entries,
    checkpoints: checkpoints.length,
    problem,
  });

  const tree = CompactTree.empty();
  let nextCheckpoint = 0;
  // Heads of the empty tree (a signer tick before the first access) come before any leaf.
  while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint]!.size === 0) {
    const problem = await checkCheckpoint(checkpoints[nextCheckpoint]!, await tree.root(), origin, verifier);
    if (problem) return fail(problem, 0);
    nextCheckpoint++;
  }
  for (let from = 0; from < state.size; from += BATCH) {
    const rows = await repos.tlog.entriesInRange(from, Math.min(from + BATCH, state.size));
    for (const row of rows) {
      if (row.idx !== tree.size) return fail(`entry ${tree.size} is missing`, tree.size);
      const leaf = decodeBase64(row.leaf);
      if (!leaf) return fail(`entry ${row.idx}: the leaf is not base64`, row.idx);
      const { nodes } = await tree.append(await hashLeaf(leaf));
      const stored = await repos.tlog.nodeHashes(nodes.map((n) => ({ level: n.level, index: n.index })));
      for (let i = 0; i < nodes.length; i++) {
        const node = nodes[i]!;
        if (stored[i] !== encodeBase64(node.hash)) {
          return fail(
            `entry ${row.idx}: stored node ${node.level}/${node.index} does not match the leaves`,
            row.idx,
          );
        }
      }
      while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint]!.size === tree.size) {
        const problem = await checkCheckpoint(
          checkpoints[nextCheckpoint]!,
          await tree.root(),
          origin,
          verifier,
        );
        if (problem) return fail(problem, row.idx);
        nextCheckpoint++;
      }
    }
    if (rows.length === 0) return fail(`entry ${tree.size} is missing`, tree.size);
  }
  // A checkpoint of the empty tree, or one beyond the stored entries.
  while (nextCheckpoint < checkpoints.length) {
    const checkpoint = checkpoints[nextCheckpoint]!;
    if (checkpoint.size !== tree.size) {
      return fail(
        `checkpoint of size ${checkpoint.size} is beyond the ${tree.size} stored entries`,
        tree.size,
      );
    }
    const problem = await checkCheckpoint(checkpoint, await tree.root(), origin, verifier);
    if (problem) return fail(problem, tree.size);
    nextCheckpoint++;
  }
  if (encodeBase64(await tree.root()) !== state.root)
    return fail('the state row’s root does not match the leaves', tree.size);
  return { ok: true, entries: tree.size, checkpoints: checkpoints.length };
}

async function parseVerifierFromSigner(signerKey: string): Promise<NoteVerifier> {
  return parseVerifierKey((await parseSignerKey(signerKey)).verifierKey);
}

async function checkCheckpoint(
  checkpoint: { size: number; root: string; note: string },
  root: Uint8Array,
  origin: string,
  verifier: NoteVerifier | null,
): Promise<string | null> {
  if (!verifier) return `checkpoint ${checkpoint.size}: no signing key to check it with`;
  try {
    const opened = await openCheckpoint(checkpoint.note, { origin, verifiers: [verifier] });
    if (opened.checkpoint.size !== checkpoint.size)
      return `checkpoint ${checkpoint.size}: the note says size ${opened.checkpoint.size}`;
    if (encodeBase64(opened.checkpoint.rootHash) !== encodeBase64(root)) {
      return `checkpoint ${checkpoint.size}: the signed root does not match the leaves (first bad index ≤ ${checkpoint.size - 1})`;
    }
  } catch (error) {
    return `checkpoint ${checkpoint.size}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return null;
}
