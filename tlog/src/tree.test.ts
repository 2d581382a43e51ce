// Hashing known answers, the incremental tree state against the RFC recursion for sizes 1..200,
// and compact ranges.
import { describe, expect, it } from 'vitest';
import { encodeHex } from './bytes.js';
import { emptyRoot, hashChildren, hashLeaf, sha256 } from './hash.js';
import { MemoryTree } from './memory-tree.js';
import { compactRange, CompactTree, merkleTreeHash, rootFromLeafHashes, type TreeNode } from './tree.js';
import { RFC6962_LEAVES, RFC6962_ROOTS, testLeafHashes } from './test-support/fixtures.js';
import { ReferenceTree } from './test-support/reference.js';

function popcount(n: number): number {
  return n.toString(2).replaceAll('0', '').length;
}

describe('RFC 9162 §2.1.1 hashing', () => {
  it('has the known empty root, leaf and node hashes', async () => {
    expect(encodeHex(emptyRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(emptyRoot()).toEqual(await sha256(new Uint8Array(0)));
    expect(await rootFromLeafHashes([])).toEqual(emptyRoot());
    // The leaf hash of the empty leaf is the size-1 root of the RFC 6962 reference tree.
    expect(encodeHex(await hashLeaf(new Uint8Array(0)))).toBe(RFC6962_ROOTS[0]);
    const [a, b] = await Promise.all([hashLeaf(RFC6962_LEAVES[0]!), hashLeaf(RFC6962_LEAVES[1]!)]);
    expect(encodeHex(await hashChildren(a, b))).toBe(RFC6962_ROOTS[1]);
  });

  it('gives the published roots of the RFC 6962 reference tree for sizes 1..8', async () => {
    for (let n = 1; n <= 8; n++) {
      expect(encodeHex(await merkleTreeHash(RFC6962_LEAVES.slice(0, n)))).toBe(RFC6962_ROOTS[n - 1]);
    }
  });

  it('does not let callers change the empty root constant', () => {
    emptyRoot()[0] = 0;
    expect(emptyRoot()[0]).toBe(0xe3);
  });
});

describe('CompactTree (the frontier)', () => {
  it('yields MTH after every append for sizes 1..200, storing each perfect node exactly once', async () => {
    const leafHashes = await testLeafHashes(200);
    const reference = new ReferenceTree(leafHashes);
    const tree = CompactTree.empty();
    expect(await tree.root()).toEqual(emptyRoot());
    const stored = new Map<string, TreeNode>();
    for (let n = 1; n <= 200; n++) {
      const { index, root, nodes } = await tree.append(leafHashes[n - 1]!);
      expect(index).toBe(n - 1);
      expect(tree.size).toBe(n);
      expect(root).toEqual(await reference.mth(0, n));
      expect(await tree.root()).toEqual(root);
      // The append hashed ctz(n) times: one new node per level it completed.
      expect(nodes.length - 1).toBe(Math.log2(n & -n));
      for (const node of nodes) {
        const key = `${node.level}/${node.index}`;
        expect(stored.has(key)).toBe(false);
        stored.set(key, node);
        const width = 2 ** node.level;
        expect(node.hash).toEqual(await reference.mth(node.index * width, (node.index + 1) * width));
      }
      // Crosby–Wallach / Go sumdb: a tree of n leaves has 2n − popcount(n) perfect nodes.
      expect(stored.size).toBe(2 * n - popcount(n));
      expect(tree.frontier()).toHaveLength(popcount(n));
    }
  });

  it('appends a batch with one root computation, matching one-by-one appends', async () => {
    const leafHashes = await testLeafHashes(37);
    const one = CompactTree.empty();
    for (const hash of leafHashes) await one.append(hash);
    const batch = CompactTree.empty();
    await batch.appendAll(leafHashes.slice(0, 5));
    const { start, root, nodes } = await batch.appendAll(leafHashes.slice(5));
    expect(start).toBe(5);
    expect(root).toEqual(await one.root());
    expect(nodes.filter((node) => node.level === 0).map((node) => node.index)).toEqual(
      Array.from({ length: 32 }, (_, i) => i + 5),
    );
  });

  it('serialises concurrent appends in call order', async () => {
    const leafHashes = await testLeafHashes(20);
    const tree = CompactTree.empty();
    const results = await Promise.all(leafHashes.map((hash) => tree.append(hash)));
    expect(results.map((r) => r.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results.at(-1)!.root).toEqual(await rootFromLeafHashes(leafHashes));
  });

  it('restores from a stored size and frontier and carries on identically', async () => {
    const leafHashes = await testLeafHashes(50);
    const whole = CompactTree.empty();
    await whole.appendAll(leafHashes);
    for (const cut of [0, 1, 13, 32, 49]) {
      const first = CompactTree.empty();
      await first.appendAll(leafHashes.slice(0, cut));
      const restored = CompactTree.restore(first.size, first.frontier());
      const { root } = await restored.appendAll(leafHashes.slice(cut));
      expect(root).toEqual(await whole.root());
    }
  });

  it('refuses a frontier that does not fit the size, and bad leaf hashes', async () => {
    const hash = new Uint8Array(32);
    expect(() => CompactTree.restore(3, [hash])).toThrow(/2 frontier hashes/);
    expect(() => CompactTree.restore(1, [new Uint8Array(31)])).toThrow(/32 bytes/);
    expect(() => CompactTree.restore(-1, [])).toThrow(/non-negative safe integer/);
    await expect(CompactTree.empty().append(new Uint8Array(33))).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('keeps its state private: returned hashes are copies', async () => {
    const tree = CompactTree.empty();
    const [leaf] = await testLeafHashes(1);
    const { root } = await tree.append(leaf!);
    root.fill(0);
    tree.frontier()[0]!.fill(0);
    leaf!.fill(0);
    expect(await tree.root()).toEqual(await hashLeaf(new TextEncoder().encode('leaf 0')));
  });
});

describe('compactRange', () => {
  it('covers [0, n) with one node per 1-bit of n, largest first', () => {
    expect(compactRange(0, 0)).toEqual([]);
    expect(compactRange(0, 1)).toEqual([{ level: 0, index: 0 }]);
    expect(compactRange(0, 13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(compactRange(0, 2 ** 53 - 1)).toHaveLength(53);
  });

  it('covers any [begin, end) exactly with aligned perfect nodes', () => {
    for (let begin = 0; begin <= 40; begin++) {
      for (let end = begin; end <= 40; end++) {
        let at = begin;
        for (const { level, index } of compactRange(begin, end)) {
          expect(index * 2 ** level).toBe(at);
          at += 2 ** level;
        }
        expect(at).toBe(end);
      }
    }
    expect(compactRange(5, 11)).toEqual([
      { level: 0, index: 5 },
      { level: 1, index: 3 },
      { level: 1, index: 4 },
      { level: 0, index: 10 },
    ]);
    expect(() => compactRange(5, 4)).toThrow(/reversed/);
  });
});

describe('MemoryTree', () => {
  it('answers only for perfect nodes it holds', async () => {
    const tree = await MemoryTree.fromLeafHashes(await testLeafHashes(5));
    await expect(tree.getNodeHashes([{ level: 1, index: 2 }])).rejects.toMatchObject({
      code: 'hash_source_invalid',
    });
    await expect(tree.root(6)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(tree.inclusionProof(0, 6)).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
