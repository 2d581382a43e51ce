// C2SP tlog-checkpoint: format, parse, sign → open, and every way a checkpoint must be refused.
// Known answers: real sum.golang.org tree heads, verified with Go's published sumdb key.
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './bytes.js';
import {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  type Checkpoint,
} from './checkpoint.js';
import { emptyRoot } from './hash.js';
import { generateSignerKey, parseSignerKey, parseVerifierKey, signNote } from './note.js';
import { MemoryTree } from './memory-tree.js';
import { testLeafHashes } from './test-support/fixtures.js';

// cmd/go's built-in key for sum.golang.org, and two tree heads it signed (quoted in Go and
// TypeScript test suites that verify them against that key).
const SUMDB_VKEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';
const SUMDB_HEADS = [
  'go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n\n' +
    '— sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=\n',
  'go.sum database tree\n65209736\n5+uGFjx6xBZG8ip1+wi77v+grwbhhukIrxEUS8PXvRo=\n\n' +
    '— sum.golang.org Az3grnbssgK7ubgFX36gVETtNv0U23qxyAhAMai2QUfeGa3nB/akvkMdlUErfcZz7l/R3cVtYspg3dxXABkGZZKdsQ8=\n',
];

const ORIGIN = 'parley.example/log';

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? 'not a TlogError';
  }
}

async function setup() {
  const keys = await generateSignerKey(ORIGIN);
  const signer = await parseSignerKey(keys.signerKey);
  const verifier = await parseVerifierKey(keys.verifierKey);
  const tree = await MemoryTree.fromLeafHashes(await testLeafHashes(11));
  const checkpoint: Checkpoint = { origin: ORIGIN, size: 11, rootHash: await tree.root() };
  return { signer, verifier, checkpoint };
}

describe('checkpoint text', () => {
  it('is origin, decimal size and base64 root, one per line', async () => {
    const { checkpoint } = await setup();
    const text = formatCheckpoint(checkpoint);
    expect(text).toBe(`${ORIGIN}\n11\n${encodeBase64(checkpoint.rootHash)}\n`);
    expect(parseCheckpoint(text)).toEqual({ ...checkpoint, extensions: [] });
    const extended = formatCheckpoint({ ...checkpoint, extensions: ['ext one', 'two'] });
    expect(extended.endsWith('\next one\ntwo\n')).toBe(true);
    expect(parseCheckpoint(extended).extensions).toEqual(['ext one', 'two']);
  });

  it('reads the C2SP example and the empty tree', () => {
    const parsed = parseCheckpoint(
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    );
    expect(parsed.origin).toBe('example.com/behind-the-sofa');
    expect(parsed.size).toBe(20852163);
    expect(parsed.rootHash).toEqual(decodeBase64('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='));
    const empty = formatCheckpoint({ origin: ORIGIN, size: 0, rootHash: emptyRoot() });
    expect(empty).toBe(`${ORIGIN}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n`);
    expect(parseCheckpoint(empty).size).toBe(0);
  });

  it('refuses malformed bodies', async () => {
    const { checkpoint } = await setup();
    const root = encodeBase64(checkpoint.rootHash);
    const bad = [
      `${ORIGIN}\n11\n${root}`, // no final newline
      `${ORIGIN}\n11\n`, // two lines
      `\n11\n${root}\n`, // empty origin
      `${ORIGIN}\n011\n${root}\n`, // leading zero
      `${ORIGIN}\n-1\n${root}\n`,
      `${ORIGIN}\n+1\n${root}\n`,
      `${ORIGIN}\n1e3\n${root}\n`,
      `${ORIGIN}\n 11\n${root}\n`,
      `${ORIGIN}\n9007199254740992\n${root}\n`, // beyond 2^53 − 1
      `${ORIGIN}\n11\n${root.slice(0, -4)}\n`, // short root
      `${ORIGIN}\n11\n${root.replace('=', '')}\n`, // unpadded
      `${ORIGIN}\n11\n${encodeBase64(new Uint8Array(33))}\n`, // 33 bytes
      `${ORIGIN}\n11\n${root}\n\n`, // empty extension line
      `${ORIGIN}\n11\n${root}\next\tline\n`, // control character
      `${ORIGIN}\n0\n${root}\n`, // empty tree with a non-empty root
    ];
    for (const text of bad)
      expect(() => parseCheckpoint(text), JSON.stringify(text)).toThrow(/malformed checkpoint/);
  });

  it('refuses to write what it could not read, or what the spec advises against', async () => {
    const { checkpoint } = await setup();
    for (const cp of [
      { ...checkpoint, origin: '' },
      { ...checkpoint, origin: 'has space' },
      { ...checkpoint, origin: 'has+plus' },
      { ...checkpoint, origin: 'two\nlines' },
      { ...checkpoint, size: -1 },
      { ...checkpoint, size: 1.5 },
      { ...checkpoint, rootHash: checkpoint.rootHash.subarray(1) },
      { ...checkpoint, size: 0 },
      { ...checkpoint, extensions: [''] },
      { ...checkpoint, extensions: ['a\nb'] },
    ]) {
      expect(() => formatCheckpoint(cp)).toThrow(/malformed checkpoint/);
    }
  });
});

describe('signed checkpoints', () => {
  it('open with the log key and give back the tree head', async () => {
    const { signer, verifier, checkpoint } = await setup();
    const note = await signCheckpoint(checkpoint, [signer]);
    expect(note).toMatch(
      new RegExp(`^${ORIGIN}\\n11\\n[A-Za-z0-9+/]{43}=\\n\\n— ${ORIGIN} [A-Za-z0-9+/]{91}=\\n$`),
    );
    const opened = await openCheckpoint(note, { origin: ORIGIN, verifiers: [verifier] });
    expect(opened.checkpoint).toEqual({ ...checkpoint, extensions: [] });
    expect(opened.note.verified.map((s) => s.keyId)).toEqual([verifier.keyId]);
  });

  it('verify real sum.golang.org tree heads with Go\u2019s key', async () => {
    const sumdb = await parseVerifierKey(SUMDB_VKEY);
    for (const note of SUMDB_HEADS) {
      const { checkpoint } = await openCheckpoint(note, {
        origin: 'go.sum database tree',
        verifiers: [sumdb],
      });
      expect(checkpoint.rootHash).toHaveLength(32);
    }
    expect(
      await errorCode(
        openCheckpoint(SUMDB_HEADS[0]!.replace('6476701', '6476702'), {
          origin: 'go.sum database tree',
          verifiers: [sumdb],
        }),
      ),
    ).toBe('note_signature_invalid');
  });

  it('refuse a tampered body, signature or key name, another key, and another origin', async () => {
    const { signer, verifier, checkpoint } = await setup();
    const note = await signCheckpoint(checkpoint, [signer]);
    const expected = { origin: ORIGIN, verifiers: [verifier] };
    const root = encodeBase64(checkpoint.rootHash);
    const otherRoot = encodeBase64(checkpoint.rootHash.map((b, i) => (i === 0 ? b ^ 1 : b)));

    expect(await errorCode(openCheckpoint(note.replace('\n11\n', '\n12\n'), expected))).toBe(
      'note_signature_invalid',
    );
    expect(await errorCode(openCheckpoint(note.replace(root, otherRoot), expected))).toBe(
      'note_signature_invalid',
    );

    const [, signature] = note.split(`— ${ORIGIN} `);
    const raw = decodeBase64(signature!.trimEnd())!;
    raw[40]! ^= 0x80;
    expect(
      await errorCode(openCheckpoint(note.replace(signature!.trimEnd(), encodeBase64(raw)), expected)),
    ).toBe('note_signature_invalid');

    expect(
      await errorCode(openCheckpoint(note.replace(`— ${ORIGIN} `, '— parley.example/other '), expected)),
    ).toBe('note_unverified');
    const stranger = await parseVerifierKey((await generateSignerKey(ORIGIN)).verifierKey);
    expect(await errorCode(openCheckpoint(note, { origin: ORIGIN, verifiers: [stranger] }))).toBe(
      'note_unverified',
    );
    expect(
      await errorCode(openCheckpoint(note, { origin: 'parley.example/other', verifiers: [verifier] })),
    ).toBe('checkpoint_origin_mismatch');
  });

  it('stay valid with extra signatures by keys the verifier does not know (witness cosigning)', async () => {
    const { signer, verifier, checkpoint } = await setup();
    const witness = await parseSignerKey((await generateSignerKey('witness.example/w1')).signerKey);
    const note = await signCheckpoint(checkpoint, [signer, witness]);
    const opened = await openCheckpoint(note, { origin: ORIGIN, verifiers: [verifier] });
    expect(opened.note.unverified.map((s) => s.name)).toEqual(['witness.example/w1']);
  });

  it('refuse a validly signed note whose text is not a checkpoint', async () => {
    const { signer, verifier } = await setup();
    const note = await signNote(`${ORIGIN}\nnot a size\nroot\n`, [signer]);
    expect(await errorCode(openCheckpoint(note, { origin: ORIGIN, verifiers: [verifier] }))).toBe(
      'checkpoint_malformed',
    );
  });
});
