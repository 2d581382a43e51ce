// Proofs against the literal RFC 9162 recursions for every tree size 1..64: every leaf index,
// every (old, new) size pair; plus index arithmetic far beyond 2^32.
import { beforeAll, describe, expect, it } from 'vitest';
import { isTlogError } from './errors.js';
import { emptyRoot, hashChildren, hashLeaf } from './hash.js';
import { MemoryTree } from './memory-tree.js';
import {
  consistencyProof,
  consistencyProofPlan,
  inclusionProof,
  inclusionProofPlan,
  rootFromNodeSource,
  verifyConsistency,
  verifyExtends,
  verifyInclusion,
  type NodeHashSource,
  type ProofPlan,
} from './proof.js';
import { compactRange, CompactTree, type NodeId } from './tree.js';
import { flipBit, testLeafHashes } from './test-support/fixtures.js';
import { ReferenceTree } from './test-support/reference.js';

const MAX_SIZE = 64;

async function rejects(check: Promise<unknown>): Promise<boolean> {
  try {
    await check;
    return false;
  } catch (error) {
    if (isTlogError(error)) return true;
    throw error;
  }
}

/** Runs `check(i)` for i = from..from+count−1 concurrently. */
async function forEach(count: number, from: number, check: (i: number) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => check(from + i)));
}

/** Wraps a source to count round trips and node reads. */
function counting(source: NodeHashSource): NodeHashSource & { calls: number; reads: number } {
  const counter = {
    calls: 0,
    reads: 0,
    async getNodeHashes(ids: readonly NodeId[]) {
      counter.calls++;
      counter.reads += ids.length;
      return source.getNodeHashes(ids);
    },
  };
  return counter;
}

let leafHashes: Uint8Array[];
let reference: ReferenceTree;
let tree: MemoryTree;

beforeAll(async () => {
  leafHashes = await testLeafHashes(MAX_SIZE);
  reference = new ReferenceTree(leafHashes);
  tree = await MemoryTree.fromLeafHashes(leafHashes);
});

const sizes = Array.from({ length: MAX_SIZE }, (_, i) => i + 1);

describe('roots', () => {
  it('MTH from stored nodes equals the RFC recursion for every size 0..64', async () => {
    expect(await tree.root(0)).toEqual(emptyRoot());
    for (const n of sizes) expect(await tree.root(n)).toEqual(await reference.mth(0, n));
  });
});

describe('inclusion proofs, every index of every size 1..64', () => {
  it.each(sizes)('size %i', async (n) => {
    const root = await reference.mth(0, n);
    // Indexes are independent; checking them concurrently keeps WebCrypto's thread pool busy.
    await forEach(n, 0, async (m) => {
      const source = counting(tree);
      const proof = await inclusionProof(source, m, n);
      // Generation equals PATH(m, D[n]) and costs one batched read of O(log n) nodes.
      expect(proof).toEqual(await reference.path(m, 0, n));
      expect(source.calls).toBe(proof.length === 0 ? 0 : 1);
      expect(source.reads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)));

      const claim = { leafHash: leafHashes[m]!, index: m, treeSize: n, proof, rootHash: root };
      await verifyInclusion(claim);
      // Wrong leaf, index, size, or any changed / missing / extra hash must fail.
      expect(await rejects(verifyInclusion({ ...claim, leafHash: leafHashes[(m + 1) % MAX_SIZE]! }))).toBe(
        true,
      );
      if (n > 1) expect(await rejects(verifyInclusion({ ...claim, index: (m + 1) % n }))).toBe(true);
      // The root does not commit to the size, so some neighbouring sizes share a path shape (which
      // is why checkpoints sign size and root together); doubling or halving never does.
      expect(await rejects(verifyInclusion({ ...claim, treeSize: n * 2 }))).toBe(true);
      expect(await rejects(verifyInclusion({ ...claim, treeSize: Math.floor(n / 2) }))).toBe(true);
      expect(await rejects(verifyInclusion({ ...claim, proof: [...proof, root] }))).toBe(true);
      if (proof.length > 0) {
        const i = (m + n) % proof.length;
        const flipped = proof.map((h, j) => (j === i ? flipBit(h, m + n) : h));
        expect(await rejects(verifyInclusion({ ...claim, proof: flipped }))).toBe(true);
        expect(await rejects(verifyInclusion({ ...claim, proof: proof.slice(0, -1) }))).toBe(true);
      }
    });
  });
});

describe('consistency proofs, every pair 1 ≤ m ≤ n ≤ 64', () => {
  it.each(sizes)('new size %i', async (n) => {
    const newRoot = await reference.mth(0, n);
    await forEach(n, 1, async (m) => {
      const oldRoot = await reference.mth(0, m);
      const source = counting(tree);
      const proof = await consistencyProof(source, m, n);
      expect(proof).toEqual(await reference.consistency(m, n));
      expect(source.calls).toBe(proof.length === 0 ? 0 : 1);
      expect(source.reads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)));

      const claim = { oldSize: m, newSize: n, oldRoot, newRoot, proof };
      await verifyConsistency(claim);
      await verifyExtends({ size: m, rootHash: oldRoot }, { size: n, rootHash: newRoot }, proof);
      if (m < n) {
        expect(await rejects(verifyConsistency({ ...claim, oldRoot: newRoot, newRoot: oldRoot }))).toBe(true);
        expect(await rejects(verifyConsistency({ ...claim, oldSize: m + 1 }))).toBe(true);
        expect(await rejects(verifyConsistency({ ...claim, newSize: n * 2 }))).toBe(true);
        expect(await rejects(verifyConsistency({ ...claim, newSize: Math.floor(n / 2) }))).toBe(true);
        expect(await rejects(verifyConsistency({ ...claim, proof: [...proof, newRoot] }))).toBe(true);
        const i = (m + n) % proof.length;
        const flipped = proof.map((h, j) => (j === i ? flipBit(h, m * n) : h));
        expect(await rejects(verifyConsistency({ ...claim, proof: flipped }))).toBe(true);
        expect(await rejects(verifyConsistency({ ...claim, proof: proof.slice(0, -1) }))).toBe(true);
      } else {
        expect(await rejects(verifyConsistency({ ...claim, proof: [newRoot] }))).toBe(true);
      }
    });
  });

  it('refuses the empty old tree, which verifyExtends accepts with an empty proof', async () => {
    const root = await reference.mth(0, 5);
    expect(() => consistencyProofPlan(0, 5)).toThrow(/meaningless|0 < old size/);
    expect(
      await rejects(
        verifyConsistency({ oldSize: 0, newSize: 5, oldRoot: emptyRoot(), newRoot: root, proof: [] }),
      ),
    ).toBe(true);
    await verifyExtends({ size: 0, rootHash: emptyRoot() }, { size: 5, rootHash: root }, []);
    await verifyExtends({ size: 0, rootHash: emptyRoot() }, { size: 0, rootHash: emptyRoot() }, []);
    expect(await rejects(verifyExtends({ size: 0, rootHash: root }, { size: 5, rootHash: root }, []))).toBe(
      true,
    );
    expect(
      await rejects(verifyExtends({ size: 0, rootHash: emptyRoot() }, { size: 5, rootHash: root }, [root])),
    ).toBe(true);
  });
});

describe('argument checks', () => {
  it('rejects out-of-range and non-integer indexes and sizes', () => {
    expect(() => inclusionProofPlan(3, 3)).toThrow(/not below/);
    expect(() => inclusionProofPlan(-1, 3)).toThrow(/non-negative safe integer/);
    expect(() => inclusionProofPlan(0.5, 3)).toThrow(/non-negative safe integer/);
    expect(() => inclusionProofPlan(0, 2 ** 53)).toThrow(/non-negative safe integer/);
    expect(() => consistencyProofPlan(4, 3)).toThrow(/old size ≤ new size/);
  });

  it('reports a source that answers with the wrong hashes', async () => {
    const short: NodeHashSource = {
      getNodeHashes: async (ids) => ids.slice(1).map(() => new Uint8Array(32)),
    };
    const wrongLength: NodeHashSource = { getNodeHashes: async (ids) => ids.map(() => new Uint8Array(31)) };
    await expect(inclusionProof(short, 0, 8)).rejects.toMatchObject({ code: 'hash_source_invalid' });
    await expect(inclusionProof(wrongLength, 0, 8)).rejects.toMatchObject({ code: 'hash_source_invalid' });
  });

  it('rejects a leaf hash or proof hash that is not 32 bytes', async () => {
    const proof = await tree.inclusionProof(2, 5);
    const claim = { leafHash: leafHashes[2]!, index: 2, treeSize: 5, proof, rootHash: await tree.root(5) };
    await verifyInclusion(claim);
    await expect(verifyInclusion({ ...claim, leafHash: leafHashes[2]!.subarray(1) })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(
      verifyInclusion({ ...claim, proof: [proof[0]!, new Uint8Array([...proof[1]!, 0]), ...proof.slice(2)] }),
    ).rejects.toMatchObject({ code: 'proof_invalid' });
  });
});

/**
 * A consistent tree of any size without its leaves: every leaf is the same, so every perfect node
 * at level l has the same hash u_l = H(u_{l−1}, u_{l−1}). Proofs over it exercise the index
 * arithmetic at sizes near 2^32 and 2^53, where 32-bit operators would break.
 */
class UniformTree implements NodeHashSource {
  readonly levels: Uint8Array[] = [];

  static async create(): Promise<UniformTree> {
    const tree = new UniformTree();
    tree.levels.push(await hashLeaf(new TextEncoder().encode('uniform')));
    for (let l = 1; l <= 53; l++)
      tree.levels.push(await hashChildren(tree.levels[l - 1]!, tree.levels[l - 1]!));
    return tree;
  }

  async getNodeHashes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
    return ids.map(({ level }) => this.levels[level]!);
  }
}

function checkPlanShape(plan: ProofPlan, size: number): void {
  for (const { level, index } of plan.nodes) {
    expect(Number.isSafeInteger(index)).toBe(true);
    expect((index + 1) * 2 ** level).toBeLessThanOrEqual(size); // perfect within the tree
  }
}

describe('large trees', () => {
  const big = [2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, 2 ** 32 + 12345, 2 ** 40 + 7, 2 ** 53 - 1, 2 ** 53 - 2];

  it.each(big)('inclusion and consistency proofs verify at size %i', async (n) => {
    const uniform = await UniformTree.create();
    const root = await rootFromNodeSource(uniform, n);
    for (const m of [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32, Math.floor(n / 3), n - 2, n - 1].filter(
      (i) => i < n,
    )) {
      const plan = inclusionProofPlan(m, n);
      checkPlanShape(plan, n);
      const proof = await inclusionProof(uniform, m, n);
      await verifyInclusion({ leafHash: uniform.levels[0]!, index: m, treeSize: n, proof, rootHash: root });
      const wrongLeaf = { leafHash: uniform.levels[1]!, index: m, treeSize: n, proof, rootHash: root };
      expect(await rejects(verifyInclusion(wrongLeaf))).toBe(true);
    }
    for (const m of [1, 3, 2 ** 31 + 1, 2 ** 32 - 1, 2 ** 32, Math.floor(n / 2), n - 1, n].filter(
      (i) => i <= n,
    )) {
      checkPlanShape(consistencyProofPlan(m, n), n);
      const proof = await consistencyProof(uniform, m, n);
      await verifyConsistency({
        oldSize: m,
        newSize: n,
        oldRoot: await rootFromNodeSource(uniform, m),
        newRoot: root,
        proof,
      });
    }
  });

  it('appends past 2^32 and 2^53 − 3 from a restored frontier', async () => {
    const uniform = await UniformTree.create();
    for (const start of [2 ** 32 - 3, 2 ** 53 - 9]) {
      const frontier = await uniform.getNodeHashes(compactRange(0, start));
      const state = CompactTree.restore(start, frontier);
      for (let size = start + 1; size <= start + 8; size++) {
        const { index, root } = await state.append(uniform.levels[0]!);
        expect(index).toBe(size - 1);
        expect(root).toEqual(await rootFromNodeSource(uniform, size));
      }
    }
  });
});
