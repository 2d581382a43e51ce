// Inclusion and consistency proofs (RFC 9162 §2.1.3, §2.1.4).
//
// Generation reads only perfect nodes, through a small async interface, so a server answers a
// proof with one batched read of O(log n) stored hashes. Verification follows the RFC's bit walks
// literally and shares no code with generation.
import { assertSize, half, isOdd, isPowerOfTwo } from './bits.js';
import { bytesEqual } from './bytes.js';
import { TlogError } from './errors.js';
import { HASH_SIZE, assertHash, emptyRoot, hashChildren } from './hash.js';
import { compactRange, foldCompactRange, type NodeId } from './tree.js';

/**
 * Where proofs read node hashes from: a database, tiles, or memory (`MemoryTree`). It is only asked
 * for perfect nodes inside the tree size the proof is for, all at once, and must answer in order.
 */
export interface NodeHashSource {
  getNodeHashes(ids: readonly NodeId[]): Promise<readonly Uint8Array[]>;
}

/**
 * The perfect nodes a proof needs, bottom-up in proof order. At most one proof element is not a
 * perfect node: the right sibling that ends at the tree's right edge ("ephemeral"). Its compact
 * range sits at nodes[foldBegin, foldEnd), left to right, and folds into that one element.
 * foldBegin === foldEnd when there is none.
 */
export interface ProofPlan {
  readonly nodes: readonly NodeId[];
  readonly foldBegin: number;
  readonly foldEnd: number;
}

/** The root and size a tree head commits to; a parsed `Checkpoint` is one. */
export interface TreeHead {
  readonly size: number;
  readonly rootHash: Uint8Array;
}

/**
 * The audit path of perfect node (level, index) in the tree of the given size: walk up to the
 * root and take each level's sibling. A left sibling is always perfect. A right sibling is perfect,
 * or partly beyond the tree (then it is MTH(D[start:size]), the fold of its compact range, because
 * RFC 9162 splits that parent at exactly 2^level), or wholly beyond it (then the RFC tree has no
 * node at this level and the path skips it).
 */
function pathPlan(level: number, index: number, size: number): ProofPlan {
  const nodes: NodeId[] = [];
  let foldBegin = 0;
  let foldEnd = 0;
  let k = index;
  let width = 2 ** level;
  for (let l = level; k !== 0 || width < size; l++) {
    if (isOdd(k)) {
      nodes.push({ level: l, index: k - 1 });
    } else {
      const start = (k + 1) * width;
      if (start + width <= size) {
        nodes.push({ level: l, index: k + 1 });
      } else if (start < size) {
        foldBegin = nodes.length;
        nodes.push(...compactRange(start, size));
        foldEnd = nodes.length;
      }
    }
    k = half(k);
    width *= 2;
  }
  return { nodes, foldBegin, foldEnd };
}

/** The nodes behind PATH(index, D[size]) (RFC 9162 §2.1.3.1). Requires 0 ≤ index < size. */
export function inclusionProofPlan(index: number, size: number): ProofPlan {
  assertSize(index, 'leaf index');
  assertSize(size, 'tree size');
  if (index >= size) {
    throw new TlogError('invalid_argument', `leaf index ${index} is not below tree size ${size}`);
  }
  return pathPlan(0, index, size);
}

/**
 * The nodes behind PROOF(oldSize, D[newSize]) (RFC 9162 §2.1.4.1). Requires 0 < oldSize ≤ newSize:
 * a proof from the empty tree is meaningless, since every tree extends it.
 *
 * The proof is the largest perfect node ending at oldSize, N = (ctz(oldSize), oldSize/2^ctz − 1),
 * unless N is the whole old tree (oldSize a power of two, so the verifier has it as the old root),
 * followed by N's audit path in the new tree.
 */
export function consistencyProofPlan(oldSize: number, newSize: number): ProofPlan {
  assertSize(oldSize, 'old tree size');
  assertSize(newSize, 'new tree size');
  if (oldSize === 0 || oldSize > newSize) {
    throw new TlogError(
      'invalid_argument',
      `a consistency proof needs 0 < old size ≤ new size, got ${oldSize} and ${newSize}`,
    );
  }
  if (oldSize === newSize) return { nodes: [], foldBegin: 0, foldEnd: 0 };
  let level = 0;
  let width = 1;
  while ((oldSize / width) % 2 === 0) {
    level++;
    width *= 2;
  }
  const index = oldSize / width - 1;
  const path = pathPlan(level, index, newSize);
  if (index === 0) return path;
  const shift = path.foldEnd > path.foldBegin ? 1 : 0;
  return {
    nodes: [{ level, index }, ...path.nodes],
    foldBegin: path.foldBegin + shift,
    foldEnd: path.foldEnd + shift,
  };
}

/** Turns the hashes of a plan's nodes (in plan order) into the proof. */
export async function assembleProof(plan: ProofPlan, hashes: readonly Uint8Array[]): Promise<Uint8Array[]> {
  if (hashes.length !== plan.nodes.length) {
    throw new TlogError(
      'hash_source_invalid',
      `expected ${plan.nodes.length} node hashes, got ${hashes.length}`,
    );
  }
  hashes.forEach((hash, i) => {
    if (hash.length !== HASH_SIZE) {
      throw new TlogError('hash_source_invalid', `node hash ${i} is ${hash.length} bytes, not ${HASH_SIZE}`);
    }
  });
  const proof: Uint8Array[] = [];
  for (let i = 0; i < hashes.length; i++) {
    if (i === plan.foldBegin && plan.foldEnd > plan.foldBegin) {
      proof.push(await foldCompactRange(hashes.slice(plan.foldBegin, plan.foldEnd)));
      i = plan.foldEnd - 1;
    } else {
      proof.push(hashes[i]!.slice());
    }
  }
  return proof;
}

async function readPlan(source: NodeHashSource, plan: ProofPlan): Promise<Uint8Array[]> {
  if (plan.nodes.length === 0) return [];
  return assembleProof(plan, await source.getNodeHashes(plan.nodes));
}

/** Inclusion proof for the leaf at `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1). */
export async function inclusionProof(
  source: NodeHashSource,
  index: number,
  size: number,
): Promise<Uint8Array[]> {
  return readPlan(source, inclusionProofPlan(index, size));
}

/** Consistency proof from the tree of `oldSize` leaves to the tree of `newSize` (RFC 9162 §2.1.4.1). */
export async function consistencyProof(
  source: NodeHashSource,
  oldSize: number,
  newSize: number,
): Promise<Uint8Array[]> {
  return readPlan(source, consistencyProofPlan(oldSize, newSize));
}

/** The root of the tree of `size` leaves from popcount(size) stored nodes; SHA-256() when empty. */
export async function rootFromNodeSource(source: NodeHashSource, size: number): Promise<Uint8Array> {
  const nodes = compactRange(0, size);
  if (nodes.length === 0) return emptyRoot();
  const hashes = await source.getNodeHashes(nodes);
  const [root] = await assembleProof({ nodes, foldBegin: 0, foldEnd: nodes.length }, hashes);
  return root!;
}

function reject(message: string): never {
  throw new TlogError('proof_invalid', message);
}

function checkProofHashes(proof: readonly Uint8Array[]): void {
  proof.forEach((hash, i) => {
    if (hash.length !== HASH_SIZE) reject(`proof hash ${i} is ${hash.length} bytes, not ${HASH_SIZE}`);
  });
}

export interface InclusionClaim {
  readonly leafHash: Uint8Array;
  readonly index: number;
  readonly treeSize: number;
  readonly proof: readonly Uint8Array[];
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2 steps 1–5, without the final comparison).
 * Throws `proof_invalid` when the proof has the wrong length for (index, treeSize).
 */
export async function rootFromInclusionProof(claim: InclusionClaim): Promise<Uint8Array> {
  const { leafHash, index, treeSize, proof } = claim;
  assertSize(index, 'leaf index');
  assertSize(treeSize, 'tree size');
  assertHash(leafHash, 'leaf hash');
  checkProofHashes(proof);
  // 1. leaf_index must be below tree_size.
  if (index >= treeSize) reject(`leaf index ${index} is not below tree size ${treeSize}`);
  // 2.–3.
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  // 4.
  for (const p of proof) {
    if (sn === 0) reject('the proof is longer than the path to the root');
    if (isOdd(fn) || fn === sn) {
      r = await hashChildren(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = await hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 5. (first half) sn must be 0.
  if (sn !== 0) reject('the proof is shorter than the path to the root');
  return r;
}

/** Checks an inclusion proof against a root (RFC 9162 §2.1.3.2). Throws `proof_invalid` if it fails. */
export async function verifyInclusion(
  claim: InclusionClaim & { readonly rootHash: Uint8Array },
): Promise<void> {
  const computed = await rootFromInclusionProof(claim);
  if (!bytesEqual(computed, claim.rootHash)) reject('the inclusion proof leads to a different root');
}

export interface ConsistencyClaim {
  readonly oldSize: number;
  readonly newSize: number;
  readonly oldRoot: Uint8Array;
  readonly newRoot: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

/**
 * Checks that the tree (newSize, newRoot) extends (oldSize, oldRoot) (RFC 9162 §2.1.4.2).
 * Requires 0 < oldSize ≤ newSize, like transparency-dev/merkle's verifier: a proof from the empty
 * tree is rejected as meaningless (use `verifyExtends` for heads that may be empty). Equal sizes
 * need an empty proof and equal roots. Throws `proof_invalid` if the check fails.
 */
export async function verifyConsistency(claim: ConsistencyClaim): Promise<void> {
  const { oldSize, newSize, oldRoot, newRoot, proof } = claim;
  assertSize(oldSize, 'old tree size');
  assertSize(newSize, 'new tree size');
  if (oldSize > newSize) reject(`the new tree (${newSize}) is smaller than the old one (${oldSize})`);
  if (oldSize === 0) reject('a consistency proof from the empty tree is meaningless');
  if (oldSize === newSize) {
    if (proof.length !== 0) reject('equal tree sizes need an empty proof');
    if (!bytesEqual(oldRoot, newRoot)) reject('equal tree sizes with different roots');
    return;
  }
  checkProofHashes(proof);
  // 1.
  if (proof.length === 0) reject('the proof is empty');
  // 2.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  // 3.–4.
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  let fr = path[0]!;
  let sr = path[0]!;
  // 6.
  for (const c of path.slice(1)) {
    if (sn === 0) reject('the proof is longer than the path to the root');
    if (isOdd(fn) || fn === sn) {
      fr = await hashChildren(c, fr);
      sr = await hashChildren(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = await hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 7.
  if (sn !== 0) reject('the proof is shorter than the path to the root');
  if (!bytesEqual(fr, oldRoot)) reject('the proof does not lead to the old root');
  if (!bytesEqual(sr, newRoot)) reject('the proof does not lead to the new root');
}

/**
 * Checks that tree head `next` extends `previous`, allowing an empty previous tree: every tree
 * extends the empty one, whose root must then be SHA-256() and whose proof is empty. This is the
 * check a client runs against the last checkpoint it saw.
 */
export async function verifyExtends(
  previous: TreeHead,
  next: TreeHead,
  proof: readonly Uint8Array[],
): Promise<void> {
  if (previous.size === 0) {
    assertSize(next.size, 'new tree size');
    const empty = emptyRoot();
    if (!bytesEqual(previous.rootHash, empty)) reject('an empty tree must have root SHA-256()');
    if (next.size === 0 && !bytesEqual(next.rootHash, empty))
      reject('an empty tree must have root SHA-256()');
    if (proof.length !== 0) reject('extending the empty tree needs an empty proof');
    return;
  }
  await verifyConsistency({
    oldSize: previous.size,
    newSize: next.size,
    oldRoot: previous.rootHash,
    newRoot: next.rootHash,
    proof,
  });
}
