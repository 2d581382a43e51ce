// Every RFC 9162 vector in tlog/testdata/rfc9162: a verifier must accept each happy path and
// reject each `wantErr` case; for the happy paths our generator must also produce the exact proof.
import { describe, expect, it } from 'vitest';
import { bytesEqual } from './bytes.js';
import { isTlogError } from './errors.js';
import { hashLeaf } from './hash.js';
import { MemoryTree } from './memory-tree.js';
import { verifyConsistency, verifyInclusion } from './proof.js';
import { RFC6962_LEAVES } from './test-support/fixtures.js';
import { consistencyVectors, inclusionVectors } from './test-support/vectors.js';

const inclusion = inclusionVectors();
const consistency = consistencyVectors();

async function outcome(check: Promise<void>): Promise<'accepted' | 'rejected'> {
  try {
    await check;
    return 'accepted';
  } catch (error) {
    if (!isTlogError(error)) throw error;
    return 'rejected';
  }
}

describe('RFC 9162 vectors: inclusion', () => {
  it('finds all 98 cases (6 accept, 92 reject)', () => {
    expect(inclusion).toHaveLength(98);
    expect(inclusion.filter((v) => !v.wantErr)).toHaveLength(6);
  });

  it.each(inclusion.map((v) => [v.file, v] as const))('%s', async (_file, v) => {
    const result = await outcome(
      verifyInclusion({
        leafHash: v.leafHash,
        index: v.leafIdx,
        treeSize: v.treeSize,
        proof: v.proof,
        rootHash: v.root,
      }),
    );
    expect(result).toBe(v.wantErr ? 'rejected' : 'accepted');
  });

  it('reproduces every happy-path proof over the RFC 6962 reference leaves', async () => {
    const tree = await MemoryTree.fromLeaves(RFC6962_LEAVES);
    const leafHashes = await Promise.all(RFC6962_LEAVES.map(hashLeaf));
    let reproduced = 0;
    for (const v of inclusion.filter((c) => !c.wantErr)) {
      if (!bytesEqual(await tree.root(v.treeSize), v.root)) continue; // single-entry/: other leaves
      expect(bytesEqual(leafHashes[v.leafIdx]!, v.leafHash)).toBe(true);
      expect(await tree.inclusionProof(v.leafIdx, v.treeSize)).toEqual(v.proof);
      reproduced++;
    }
    expect(reproduced).toBe(5);
  });
});

describe('RFC 9162 vectors: consistency', () => {
  it('finds all 98 cases (6 accept, 92 reject)', () => {
    expect(consistency).toHaveLength(98);
    expect(consistency.filter((v) => !v.wantErr)).toHaveLength(6);
  });

  it.each(consistency.map((v) => [v.file, v] as const))('%s', async (_file, v) => {
    const result = await outcome(
      verifyConsistency({
        oldSize: v.size1,
        newSize: v.size2,
        oldRoot: v.root1,
        newRoot: v.root2,
        proof: v.proof,
      }),
    );
    expect(result).toBe(v.wantErr ? 'rejected' : 'accepted');
  });

  it('reproduces every happy-path proof over the RFC 6962 reference leaves', async () => {
    const tree = await MemoryTree.fromLeaves(RFC6962_LEAVES);
    let reproduced = 0;
    for (const v of consistency.filter((c) => !c.wantErr)) {
      if (v.size2 > tree.size || !bytesEqual(await tree.root(v.size2), v.root2)) continue; // additional/
      expect(bytesEqual(await tree.root(v.size1), v.root1)).toBe(true);
      expect(await tree.consistencyProof(v.size1, v.size2)).toEqual(v.proof);
      reproduced++;
    }
    expect(reproduced).toBe(5);
  });
});
