// The Merkle tree of RFC 9162 §2.1.1 seen as perfect ("complete") subtrees.
//
// Node (level, index) covers leaves [index·2^level, (index+1)·2^level). Within a tree of size n it
// is perfect when that whole range is < n; perfect nodes never change once the log has grown past
// them, so storage can keep them forever. The other nodes on the right edge change with every
// append and are never stored: an RFC 9162 root, or a right sibling on a proof path, is the fold of
// the compact range of perfect nodes under it (transparency-dev/merkle docs/compact_ranges.md).
import { assertSize, half, isOdd, popcount } from './bits.js';
import { TlogError } from './errors.js';
import { assertHash, emptyRoot, hashChildren, hashLeaf } from './hash.js';

export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** A perfect node and its hash: level 0 nodes are leaf hashes. */
export interface TreeNode extends NodeId {
  readonly hash: Uint8Array;
}

/**
 * The compact range [begin, end): the fewest perfect nodes that cover exactly those leaves, left
 * to right. For [0, n) there is one node per 1-bit of n, largest first.
 */
export function compactRange(begin: number, end: number): NodeId[] {
  assertSize(begin, 'range begin');
  assertSize(end, 'range end');
  if (begin > end) throw new TlogError('invalid_argument', `range [${begin}, ${end}) is reversed`);
  const nodes: NodeId[] = [];
  for (let at = begin; at < end;) {
    let level = 0;
    let width = 1;
    while (at % (width * 2) === 0 && at + width * 2 <= end) {
      level++;
      width *= 2;
    }
    nodes.push({ level, index: at / width });
    at += width;
  }
  return nodes;
}

/**
 * Folds the hashes of a compact range, left to right, into the RFC 9162 hash of the range:
 * h ← HASH(0x01 || node_i || h) from the right. For [0, n) this is MTH(D[n]), because MTH splits
 * at the largest power of two below n (§2.1.1), which is exactly the range's leftmost node.
 */
export async function foldCompactRange(
  hashes: readonly Uint8Array[],
  children: HashChildren = hashChildren,
): Promise<Uint8Array> {
  let hash = hashes.at(-1);
  if (hash === undefined) throw new TlogError('invalid_argument', 'cannot fold an empty range');
  for (let i = hashes.length - 2; i >= 0; i--) hash = await children(hashes[i]!, hash);
  return hash;
}

/**
 * HASH(0x01 || left || right) (RFC 9162 §2.1.1). The default is WebCrypto's, which is
 * asynchronous everywhere; a host with a synchronous SHA-256 (node:crypto) may pass its own, so
 * an append under a database lock does not wait on a thread pool for every node.
 */
export type HashChildren = (left: Uint8Array, right: Uint8Array) => Uint8Array | Promise<Uint8Array>;

export interface CompactTreeOptions {
  readonly hashChildren?: HashChildren;
}

export interface AppendResult {
  /** The index the leaf got: the tree size before the append. */
  readonly index: number;
  /** The root hash of the new tree. */
  readonly root: Uint8Array;
  /** Every perfect node this append created, the leaf hash first; exactly the rows to store. */
  readonly nodes: readonly TreeNode[];
}

export interface AppendAllResult {
  /** The index of the first appended leaf. */
  readonly start: number;
  readonly root: Uint8Array;
  readonly nodes: readonly TreeNode[];
}

/**
 * The incremental tree state: the size and the frontier, i.e. the hashes of compactRange(0, size)
 * (at most 53 hashes for a safe-integer size). Appending leaf n hashes ctz(n+1) times, under 2 on
 * average and ⌈log2 n⌉ at worst; the root costs popcount(size) − 1 more. Nothing is recomputed.
 *
 * Appends are serialised internally, so concurrent calls get consecutive indexes in call order.
 */
export class CompactTree {
  #size: number;
  #frontier: Uint8Array[];
  #root: Uint8Array | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #hashChildren: HashChildren;

  private constructor(size: number, frontier: Uint8Array[], options: CompactTreeOptions) {
    this.#size = size;
    this.#frontier = frontier;
    this.#hashChildren = options.hashChildren ?? hashChildren;
  }

  static empty(options: CompactTreeOptions = {}): CompactTree {
    return new CompactTree(0, [], options);
  }

  /** Rebuilds the state from a stored size and frontier (as returned by `frontier()`). */
  static restore(
    size: number,
    frontier: readonly Uint8Array[],
    options: CompactTreeOptions = {},
  ): CompactTree {
    assertSize(size, 'tree size');
    if (frontier.length !== popcount(size)) {
      throw new TlogError(
        'invalid_argument',
        `a tree of size ${size} has ${popcount(size)} frontier hashes, got ${frontier.length}`,
      );
    }
    frontier.forEach((hash, i) => assertHash(hash, `frontier hash ${i}`));
    return new CompactTree(
      size,
      frontier.map((hash) => hash.slice()),
      options,
    );
  }

  get size(): number {
    return this.#size;
  }

  /** Copies of the frontier hashes, largest subtree first: the nodes of compactRange(0, size). */
  frontier(): Uint8Array[] {
    return this.#frontier.map((hash) => hash.slice());
  }

  /** MTH of the current tree; SHA-256() when empty (RFC 9162 §2.1.1). */
  async root(): Promise<Uint8Array> {
    if (this.#frontier.length === 0) return emptyRoot();
    this.#root ??= await foldCompactRange(this.#frontier, this.#hashChildren);
    return this.#root.slice();
  }

  async append(leafHash: Uint8Array): Promise<AppendResult> {
    const { start, root, nodes } = await this.appendAll([leafHash]);
    return { index: start, root, nodes };
  }

  /** Appends a batch and computes the root once, at the end. */
  async appendAll(leafHashes: readonly Uint8Array[]): Promise<AppendAllResult> {
    leafHashes.forEach((hash, i) => assertHash(hash, `leaf hash ${i}`));
    const copies = leafHashes.map((hash) => hash.slice());
    const run = this.#queue.then(() => this.#appendNow(copies));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #appendNow(leafHashes: readonly Uint8Array[]): Promise<AppendAllResult> {
    if (!Number.isSafeInteger(this.#size + leafHashes.length)) {
      throw new TlogError('invalid_argument', 'the tree would outgrow Number.MAX_SAFE_INTEGER leaves');
    }
    const start = this.#size;
    const frontier = this.#frontier.slice();
    const nodes: TreeNode[] = [];
    let size = start;
    for (const leafHash of leafHashes) {
      let hash = leafHash;
      let level = 0;
      let index = size;
      nodes.push({ level, index, hash });
      // A right child completes its parent: merge with the left sibling, which is the frontier's
      // last (smallest) node exactly while the index is odd at that level.
      while (isOdd(index)) {
        hash = await this.#hashChildren(frontier.pop()!, hash);
        level++;
        index = half(index);
        nodes.push({ level, index, hash });
      }
      frontier.push(hash);
      size++;
    }
    const root = frontier.length === 0 ? emptyRoot() : await foldCompactRange(frontier, this.#hashChildren);
    this.#size = size;
    this.#frontier = frontier;
    this.#root = root;
    return { start, root: root.slice(), nodes };
  }
}

/** MTH over leaf hashes (RFC 9162 §2.1.1). */
export async function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Promise<Uint8Array> {
  const tree = CompactTree.empty();
  const { root } = await tree.appendAll(leafHashes);
  return root;
}

/** MTH(D[n]) over the leaves' bytes (RFC 9162 §2.1.1). */
export async function merkleTreeHash(leaves: readonly Uint8Array[]): Promise<Uint8Array> {
  const leafHashes: Uint8Array[] = [];
  for (const leaf of leaves) leafHashes.push(await hashLeaf(leaf));
  return rootFromLeafHashes(leafHashes);
}
