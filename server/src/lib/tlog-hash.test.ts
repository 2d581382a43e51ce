// The server's synchronous hashing must give exactly @parley/tlog's (WebCrypto) hashes.
import { randomBytes } from 'node:crypto';
import { CompactTree, hashChildren, hashLeaf } from '@parley/tlog';
import { describe, expect, it } from 'vitest';
import { hashChildrenSync, hashLeafSync } from './tlog-hash.js';

describe('node:crypto RFC 9162 hashing', () => {
  it('matches @parley/tlog for leaves, nodes and whole trees', async () => {
    const leaves = Array.from({ length: 37 }, (_, i) => randomBytes(i * 3));
    for (const leaf of leaves)
      expect(Buffer.from(hashLeafSync(leaf))).toEqual(Buffer.from(await hashLeaf(leaf)));
    const [a, b] = [randomBytes(32), randomBytes(32)];
    expect(Buffer.from(hashChildrenSync(a, b))).toEqual(Buffer.from(await hashChildren(a, b)));

    const withWebCrypto = CompactTree.empty();
    const withNode = CompactTree.empty({ hashChildren: hashChildrenSync });
    const hashes = await Promise.all(leaves.map((l) => hashLeaf(l)));
    const x = await withWebCrypto.appendAll(hashes);
    const y = await withNode.appendAll(hashes);
    expect(Buffer.from(y.root)).toEqual(Buffer.from(x.root));
    expect(y.nodes.map((n) => Buffer.from(n.hash).toString('hex'))).toEqual(
      x.nodes.map((n) => Buffer.from(n.hash).toString('hex')),
    );
  });
});
