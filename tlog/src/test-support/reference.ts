// The RFC 9162 definitions, transcribed literally as recursions over D[a:b] (§2.1.1 MTH,
// §2.1.3.1 PATH, §2.1.4.1 PROOF/SUBPROOF). Slow and obviously right: the oracle the fast code is
// compared with. MTH of each range is memoised, which changes nothing but the running time.
import { hashChildren, sha256 } from '../hash.js';

/** The largest power of two strictly below n (n > 1), the RFC's split point k. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export class ReferenceTree {
  readonly #leafHashes: readonly Uint8Array[];
  readonly #mth = new Map<string, Promise<Uint8Array>>();

  constructor(leafHashes: readonly Uint8Array[]) {
    this.#leafHashes = leafHashes;
  }

  /** MTH(D[a:b]). */
  mth(a: number, b: number): Promise<Uint8Array> {
    const key = `${a}:${b}`;
    let hash = this.#mth.get(key);
    if (hash === undefined) {
      hash = this.#computeMth(a, b);
      this.#mth.set(key, hash);
    }
    return hash;
  }

  async #computeMth(a: number, b: number): Promise<Uint8Array> {
    const n = b - a;
    if (n === 0) return sha256(new Uint8Array(0));
    if (n === 1) return this.#leafHashes[a]!;
    const k = splitPoint(n);
    return hashChildren(await this.mth(a, a + k), await this.mth(a + k, b));
  }

  /** PATH(m, D[a:b]). */
  async path(m: number, a: number, b: number): Promise<Uint8Array[]> {
    const n = b - a;
    if (n === 1) return [];
    const k = splitPoint(n);
    if (m < k) return [...(await this.path(m, a, a + k)), await this.mth(a + k, b)];
    return [...(await this.path(m - k, a + k, b)), await this.mth(a, a + k)];
  }

  /** PROOF(m, D[0:n]) = SUBPROOF(m, D[n], true). */
  async consistency(m: number, n: number): Promise<Uint8Array[]> {
    return this.#subproof(m, 0, n, true);
  }

  async #subproof(m: number, a: number, b: number, isStart: boolean): Promise<Uint8Array[]> {
    const n = b - a;
    if (m === n) return isStart ? [] : [await this.mth(a, b)];
    const k = splitPoint(n);
    if (m <= k) return [...(await this.#subproof(m, a, a + k, isStart)), await this.mth(a + k, b)];
    return [...(await this.#subproof(m - k, a + k, b, false)), await this.mth(a, a + k)];
  }
}
