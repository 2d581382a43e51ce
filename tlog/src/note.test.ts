// C2SP signed notes. Known answers from golang.org/x/mod/sumdb/note (its documented example and
// tests, used as data) and from the C2SP signed-note spec: Ed25519 is deterministic, so producing
// Go's exact bytes shows that Go's note.Open accepts what we sign.
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './bytes.js';
import {
  formatVerifierKey,
  generateSignerKey,
  isValidKeyName,
  noteKeyId,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  type NoteVerifier,
} from './note.js';

const GO_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const GO_TEXT =
  'If you think cryptography is the answer to your problem,\n' +
  "then you don't know what your problem is.\n";
const PETER_SIG =
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

// c2sp.org/signed-note, "Verifier keys" example.
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n\n' +
  '— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? 'not a TlogError';
  }
}

describe('keys', () => {
  it("reads Go's signer key and derives Go's verifier key", async () => {
    const signer = await parseSignerKey(GO_SKEY);
    expect(signer.name).toBe('PeterNeumann');
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(signer.verifierKey).toBe(GO_VKEY);
    const verifier = await parseVerifierKey(GO_VKEY);
    expect(verifier.keyId).toBe(0xc74f20a3);
    expect(verifier.publicKey).toEqual(signer.publicKey);
    expect(await noteKeyId('PeterNeumann', verifier.publicKey)).toBe(0xc74f20a3);
  });

  it('reads the C2SP example key, whose base64 and name need the split at the first two "+"', async () => {
    const verifier = await parseVerifierKey(SPEC_VKEY);
    expect(verifier.name).toBe('example.com/foo');
    expect(verifier.keyId).toBe(0x530d903a);
    expect(await formatVerifierKey(verifier.name, verifier.publicKey)).toBe(SPEC_VKEY);
  });

  it('round-trips generated keys through their strings', async () => {
    const { signerKey, verifierKey } = await generateSignerKey('parley.example/log');
    expect(signerKey).toMatch(/^PRIVATE\+KEY\+parley\.example\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(verifierKey).toMatch(/^parley\.example\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    const signer = await parseSignerKey(signerKey);
    const verifier = await parseVerifierKey(verifierKey);
    expect(signer.verifierKey).toBe(verifierKey);
    expect(verifier.keyId).toBe(signer.keyId);
    expect(await formatVerifierKey(verifier.name, verifier.publicKey)).toBe(verifierKey);
    expect(verifierKey.split('+')[1]).toBe(verifier.keyId.toString(16).padStart(8, '0'));
  });

  it("rejects every truncation and every one-byte change of Go's verifier key", async () => {
    // As Go's TestNewVerifier: any proper substring, any byte incremented.
    const bad: string[] = [];
    for (let i = 0; i <= GO_VKEY.length; i++) {
      for (let j = i + 1; j <= GO_VKEY.length; j++)
        if (i !== 0 || j !== GO_VKEY.length) bad.push(GO_VKEY.slice(i, j));
    }
    for (let i = 0; i < GO_VKEY.length; i++) {
      bad.push(GO_VKEY.slice(0, i) + String.fromCharCode(GO_VKEY.charCodeAt(i) + 1) + GO_VKEY.slice(i + 1));
    }
    const accepted = [];
    for (const key of bad) if ((await errorCode(parseVerifierKey(key))) === undefined) accepted.push(key);
    expect(accepted).toEqual([]);
  });

  it('names the failure: wrong length, unknown algorithm, wrong key ID', async () => {
    // Go's test keys with the key ID adjusted to match, so only the named defect remains.
    expect(
      await errorCode(
        parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='),
      ),
    ).toBe('key_malformed');
    expect(
      await errorCode(parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')),
    ).toBe('key_unsupported');
    expect(await errorCode(parseVerifierKey(GO_VKEY.replace('c74f20a3', 'c74f20a4')))).toBe(
      'key_id_mismatch',
    );
    expect(await errorCode(parseSignerKey(GO_SKEY.replace('c74f20a3', 'c74f20a4')))).toBe('key_id_mismatch');
    expect(await errorCode(parseSignerKey(GO_SKEY.replace('PRIVATE+KEY', 'PUBLIC+KEY')))).toBe(
      'key_malformed',
    );
    expect(await errorCode(parseVerifierKey(GO_VKEY.replace('PeterNeumann', 'Peter Neumann')))).toBe(
      'key_malformed',
    );
  });

  it("rejects every truncation and every one-byte change of Go's signer key", async () => {
    const accepted = [];
    for (let i = 0; i <= GO_SKEY.length; i++) {
      for (let j = i + 1; j <= GO_SKEY.length; j++) {
        if (i === 0 && j === GO_SKEY.length) continue;
        if ((await errorCode(parseSignerKey(GO_SKEY.slice(i, j)))) === undefined)
          accepted.push(GO_SKEY.slice(i, j));
      }
    }
    for (let i = 0; i < GO_SKEY.length; i++) {
      const key = GO_SKEY.slice(0, i) + String.fromCharCode(GO_SKEY.charCodeAt(i) + 1) + GO_SKEY.slice(i + 1);
      if ((await errorCode(parseSignerKey(key))) === undefined) accepted.push(key);
    }
    expect(accepted).toEqual([]);
  });

  it('checks key names like Go: non-empty, no Unicode space, no plus', () => {
    for (const name of ['a', 'example.com/foo', 'sum.golang.org', 'ünïcödé', 'a-b_c~d']) {
      expect(isValidKeyName(name)).toBe(true);
    }
    for (const name of [
      '',
      'a b',
      'a+b',
      'a\tb',
      'a\nb',
      'a\u00a0b',
      'a\u2003b',
      'a\u3000b',
      'a\u0001b',
      '\ud800',
    ]) {
      expect(isValidKeyName(name)).toBe(false);
    }
  });
});

describe('signNote / openNote', () => {
  it("signs exactly as Go's note.Sign does", async () => {
    const signer = await parseSignerKey(GO_SKEY);
    expect(await signNote(GO_TEXT, [signer])).toBe(`${GO_TEXT}\n${PETER_SIG}`);
  });

  it('opens the C2SP example note', async () => {
    const opened = await openNote(SPEC_NOTE, [await parseVerifierKey(SPEC_VKEY)]);
    expect(opened.text).toBe('This is an example message.\n');
    expect(opened.verified.map((s) => s.name)).toEqual(['example.com/foo']);
  });

  it("opens Go's two-signature note, ignoring unknown keys (Go's TestOpen)", async () => {
    const peter = await parseVerifierKey(GO_VKEY);
    const enoch = await parseVerifierKey(ENOCH_VKEY);
    const note = `${GO_TEXT}\n${PETER_SIG}${ENOCH_SIG}`;

    const one = await openNote(note, [peter]);
    expect(one.text).toBe(GO_TEXT);
    expect(one.verified).toEqual([
      { name: 'PeterNeumann', keyId: 0xc74f20a3, base64: PETER_SIG.slice(15, -1) },
    ]);
    expect(one.unverified).toEqual([
      { name: 'EnochRoot', keyId: 0xaf0cfe78, base64: ENOCH_SIG.slice(12, -1) },
    ]);

    const both = await openNote(new TextEncoder().encode(note), [peter, enoch]);
    expect(both.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(both.unverified).toEqual([]);

    expect(await errorCode(openNote(note, []))).toBe('note_unverified');
  });

  it('counts repeated signatures once and still rejects a bad one by a known key', async () => {
    const peter = await parseVerifierKey(GO_VKEY);
    const badEnoch = ENOCH_SIG.slice(0, 60) + 'ABCD' + ENOCH_SIG.slice(60);
    const opened = await openNote(`${GO_TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}${badEnoch}`, [
      peter,
    ]);
    expect(opened.verified).toHaveLength(1);
    expect(opened.unverified.map((s) => s.name)).toEqual(['EnochRoot', 'EnochRoot']);

    const badPeter = PETER_SIG.slice(0, 60) + 'ABCD' + PETER_SIG.slice(60);
    expect(await errorCode(openNote(`${GO_TEXT}\n${badPeter}`, [peter]))).toBe('note_signature_invalid');
    expect(await errorCode(openNote(`${GO_TEXT}\n${PETER_SIG}${badPeter}`, [peter]))).toBe(undefined);
    expect(await errorCode(openNote(`${GO_TEXT}\n${badPeter}${PETER_SIG}`, [peter]))).toBe(
      'note_signature_invalid',
    );
  });

  it("rejects Go's malformed notes and more than 100 signatures", async () => {
    const peter = await parseVerifierKey(GO_VKEY);
    const malformed = [
      GO_TEXT,
      `${GO_TEXT}\n`,
      `${GO_TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\u0001${GO_TEXT}\n${PETER_SIG}`,
      `${GO_TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${GO_TEXT}\n${PETER_SIG}Unexpected line.\n`,
      `${GO_TEXT}\n${PETER_SIG.replace('—', '-')}`,
      `${GO_TEXT}\n${PETER_SIG.replace('=\n', '\n')}`,
      `${GO_TEXT}\n— PeterNeumann AAAA\n`,
      `${GO_TEXT}\n${PETER_SIG}`.replace('\n', '\r\n'),
      `${GO_TEXT}\n${PETER_SIG.repeat(101)}`,
      `\ud800${GO_TEXT}\n${PETER_SIG}`,
    ];
    for (const note of malformed)
      expect(await errorCode(openNote(note, [peter])), JSON.stringify(note)).toBe('note_malformed');
    const invalidUtf8 = new Uint8Array([0xff, ...new TextEncoder().encode(`${GO_TEXT}\n${PETER_SIG}`)]);
    expect(await errorCode(openNote(invalidUtf8, [peter]))).toBe('note_malformed');
    expect(await errorCode(openNote(`${GO_TEXT}\n${PETER_SIG.repeat(100)}`, [peter]))).toBe(undefined);
  });

  it('treats the last blank line as the end of the text', async () => {
    const signer = await parseSignerKey(GO_SKEY);
    const text = 'first paragraph\n\nsecond paragraph\n';
    const opened = await openNote(await signNote(text, [signer]), [await parseVerifierKey(GO_VKEY)]);
    expect(opened.text).toBe(text);
  });

  it('round-trips with several signers and rejects tampering', async () => {
    const keys = await Promise.all([
      generateSignerKey('log.example/a'),
      generateSignerKey('witness.example/b'),
    ]);
    const signers = await Promise.all(keys.map((k) => parseSignerKey(k.signerKey)));
    const verifiers = await Promise.all(keys.map((k) => parseVerifierKey(k.verifierKey)));
    const text = 'log.example/a\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
    const note = await signNote(text, signers);
    expect((await openNote(note, verifiers)).verified).toHaveLength(2);
    expect((await openNote(note, [verifiers[1]!])).unverified.map((s) => s.name)).toEqual(['log.example/a']);

    // Body: one byte changed.
    expect(await errorCode(openNote(note.replace('\n7\n', '\n8\n'), verifiers))).toBe(
      'note_signature_invalid',
    );
    // Signature: one bit of the Ed25519 signature changed (after the 4-byte key ID).
    const line = note.split('\n')[4]!;
    const raw = Uint8Array.from(atob(line.split(' ')[2]!), (c) => c.charCodeAt(0));
    raw[10]! ^= 1;
    const tampered = note.replace(line, `${line.split(' ').slice(0, 2).join(' ')} ${encodeBase64(raw)}`);
    expect(await errorCode(openNote(tampered, verifiers))).toBe('note_signature_invalid');
    // Key name: the signature no longer names a known key, so nothing verifies.
    expect(
      await errorCode(openNote(note.replaceAll('— log.example/a ', '— log.example/c '), [verifiers[0]!])),
    ).toBe('note_unverified');
    // Someone else's key under the same name and key ID must not verify.
    const other = verifiers[1]!;
    const impostor: NoteVerifier = {
      ...verifiers[0]!,
      publicKey: other.publicKey,
      verify: (m, sig) => other.verify(m, sig),
    };
    expect(await errorCode(openNote(note, [impostor]))).toBe('note_signature_invalid');
    expect(await errorCode(openNote(note, [verifiers[0]!, impostor]))).toBe('note_key_ambiguous');
  });

  it('refuses to sign what a verifier would reject', async () => {
    const signer = await parseSignerKey(GO_SKEY);
    expect(await errorCode(signNote('no final newline', [signer]))).toBe('note_malformed');
    expect(await errorCode(signNote('tab\there\n', [signer]))).toBe('note_malformed');
    expect(await errorCode(signNote('text\n', []))).toBe('invalid_argument');
    expect(await errorCode(signNote('text\n', [{ ...signer, name: 'bad name' }]))).toBe('invalid_argument');
  });
});
