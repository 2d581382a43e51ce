// A whole tree in memory: every perfect node, so it can answer proofs for any size up to its own.
// For verifiers that rebuild a log from its leaves (the CLI, the web app) and for tests; a server
// keeps the same nodes in its database instead and implements NodeHashSource there.
import { assertSize } from './bits.js';
import { TlogError } from './errors.js';
import { hashLeaf } from './hash.js';
import { consistencyProof, inclusionProof, rootFromNodeSource, type NodeHashSource } from './proof.js';
import { CompactTree, type AppendResult, type NodeId } from './tree.js';

export class MemoryTree implements NodeHashSource {
  readonly #compact = CompactTree.empty();
  /** levels[level][index] = hash of perfect node (level, index). */
  readonly #levels: Uint8Array[][] = [];

  static async fromLeafHashes(leafHashes: readonly Uint8Array[]): Promise<MemoryTree> {
    const tree = new MemoryTree();
    await tree.appendAll(leafHashes);
    return tree;
  }

  static async fromLeaves(leaves: readonly Uint8Array[]): Promise<MemoryTree> {
    const leafHashes: Uint8Array[] = [];
    for (const leaf of leaves) leafHashes.push(await hashLeaf(leaf));
    return MemoryTree.fromLeafHashes(leafHashes);
  }

  get size(): number {
    return this.#compact.size;
  }

  async append(leafHash: Uint8Array): Promise<AppendResult> {
    const result = await this.#compact.append(leafHash);
    this.#store(result.nodes);
    return result;
  }

  async appendAll(leafHashes: readonly Uint8Array[]): Promise<void> {
    const { nodes } = await this.#compact.appendAll(leafHashes);
    this.#store(nodes);
  }

  #store(nodes: AppendResult['nodes']): void {
    for (const { level, index, hash } of nodes) (this.#levels[level] ??= [])[index] = hash;
  }

  async getNodeHashes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
    return ids.map(({ level, index }) => {
      const hash = this.#levels[level]?.[index];
      if (hash === undefined) {
        throw new TlogError(
          'hash_source_invalid',
          `node (${level}, ${index}) is not a perfect node of this tree`,
        );
      }
      return hash.slice();
    });
  }

  /** MTH of the first `size` leaves (default: all). */
  async root(size = this.size): Promise<Uint8Array> {
    this.#checkSize(size);
    return rootFromNodeSource(this, size);
  }

  async inclusionProof(index: number, size = this.size): Promise<Uint8Array[]> {
    this.#checkSize(size);
    return inclusionProof(this, index, size);
  }

  async consistencyProof(oldSize: number, newSize = this.size): Promise<Uint8Array[]> {
    this.#checkSize(newSize);
    return consistencyProof(this, oldSize, newSize);
  }

  #checkSize(size: number): void {
    assertSize(size, 'tree size');
    if (size > this.size) {
      throw new TlogError('invalid_argument', `tree size ${size} is beyond this tree's ${this.size} leaves`);
    }
  }
}
