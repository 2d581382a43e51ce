// C2SP signed-note (c2sp.org/signed-note) with Ed25519 keys, written to produce exactly what
// golang.org/x/mod/sumdb/note signs and to accept what its Open accepts (we are stricter only in
// requiring canonical base64).
//
//   note      = text "\n" 1*( "— " key-name " " base64( key ID (4 bytes, big-endian) || signature ) "\n" )
//   key ID    = SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)[:4]
//   verifier  = <name> "+" <8 hex key ID> "+" base64(0x01 || public key)        (C2SP and Go)
//   signer    = "PRIVATE+KEY+" <name> "+" <8 hex key ID> "+" base64(0x01 || seed) (Go's format)
import {
  bytesEqual,
  concatBytes,
  decodeBase64,
  decodeBase64Url,
  decodeHex,
  encodeBase64,
  isWellFormedText,
  utf8,
} from './bytes.js';
import { TlogError } from './errors.js';
import { randomBytes, sha256, subtle, type WebCryptoKey } from './hash.js';

/** Signature type byte of Ed25519 note signatures (C2SP signed-note "Signature types"). */
const ED25519 = 0x01;
const ED25519_ALGORITHM = { name: 'Ed25519' } as const;
const ED25519_SIGNATURE_SIZE = 64;
const ED25519_KEY_SIZE = 32;
/** PKCS #8 (RFC 8410) header of an Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = decodeHex('302e020100300506032b657004220420');
const SIGNATURE_PREFIX = '\u2014 ';
/**
 * Go's Open refuses notes with more than 100 signature lines; C2SP requires accepting at least 16.
 * We use Go's limit so that both accept the same notes.
 */
export const MAX_NOTE_SIGNATURES = 100;

/** A public key that checks note signatures. */
export interface NoteVerifier {
  readonly name: string;
  /** The 32-bit key ID, as an unsigned number. */
  readonly keyId: number;
  /** The 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  readonly verify: (message: Uint8Array, signature: Uint8Array) => Promise<boolean>;
}

/** A private key that signs notes. Its CryptoKey is not extractable. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** The matching verifier key string, to publish. */
  readonly verifierKey: string;
  readonly sign: (message: Uint8Array) => Promise<Uint8Array>;
}

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The line's base64 (key ID || signature), as written. */
  readonly base64: string;
}

export interface OpenedNote {
  /** The signed text, ending in "\n". */
  readonly text: string;
  /** Signatures by known keys, all verified. Never empty. */
  readonly verified: readonly NoteSignature[];
  /** Signatures by keys not given to openNote, which C2SP says verifiers MUST ignore. */
  readonly unverified: readonly NoteSignature[];
}

// unicode.IsSpace in Go: the ASCII spaces, U+0085, U+00A0 and the White_Space characters above.
const UNICODE_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

function hasControlCharacter(text: string, allowNewline: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && !(allowNewline && code === 0x0a)) return true;
  }
  return false;
}

/**
 * Key names must be non-empty, well-formed, without Unicode spaces or "+" (C2SP signed-note
 * "Format"; Go's isValidName). Control characters are refused too: a note may not contain them.
 */
export function isValidKeyName(name: string): boolean {
  return (
    name !== '' &&
    isWellFormedText(name) &&
    !UNICODE_SPACE.test(name) &&
    !name.includes('+') &&
    !hasControlCharacter(name, false)
  );
}

function uint32BE(value: number): Uint8Array {
  return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

function readUint32BE(bytes: Uint8Array): number {
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** Splits at the first `separator`, like Go's note.chop: no separator gives [text, '']. */
function chop(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}

async function keyIdOf(name: string, typedKey: Uint8Array): Promise<number> {
  return readUint32BE(await sha256(concatBytes(utf8(name), Uint8Array.of(0x0a), typedKey)));
}

/** The Ed25519 key ID: SHA-256(name || 0x0A || 0x01 || public key)[:4] as a big-endian uint32. */
export async function noteKeyId(name: string, publicKey: Uint8Array): Promise<number> {
  return keyIdOf(name, concatBytes(Uint8Array.of(ED25519), publicKey));
}

function checkName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new TlogError('invalid_argument', `invalid key name ${JSON.stringify(name)}`);
  }
}

/** `<name>+<hex key ID>+<base64(0x01 || public key)>`, the verifier key C2SP and Go's NewVerifier read. */
export async function formatVerifierKey(name: string, publicKey: Uint8Array): Promise<string> {
  checkName(name);
  if (publicKey.length !== ED25519_KEY_SIZE) {
    throw new TlogError('invalid_argument', `an Ed25519 public key is ${ED25519_KEY_SIZE} bytes`);
  }
  const keyId = await noteKeyId(name, publicKey);
  return `${name}+${keyIdHex(keyId)}+${encodeBase64(concatBytes(Uint8Array.of(ED25519), publicKey))}`;
}

function malformedKey(what: string): TlogError {
  return new TlogError('key_malformed', `malformed ${what}`);
}

/**
 * Decodes `<name>+<hash>+<base64>` as Go's NewVerifier/NewSigner do: the caller splits at the first
 * "+" signs only (base64 may contain "+"); 8 hex digits; a non-empty typed key.
 */
function decodeKey(
  name: string,
  hash16: string,
  key64: string,
  what: string,
): { keyId: number; typedKey: Uint8Array<ArrayBuffer> } {
  const typedKey = decodeBase64(key64);
  if (!/^[0-9a-fA-F]{8}$/.test(hash16) || typedKey === undefined || typedKey.length === 0) {
    throw malformedKey(what);
  }
  if (!isValidKeyName(name)) throw malformedKey(`${what} (key name)`);
  return { keyId: Number.parseInt(hash16, 16), typedKey };
}

/** The 32 key bytes after the signature type byte, which must be Ed25519's. */
function ed25519KeyOf(typedKey: Uint8Array<ArrayBuffer>, what: string): Uint8Array<ArrayBuffer> {
  if (typedKey[0] !== ED25519) {
    throw new TlogError('key_unsupported', `${what}: signature type ${typedKey[0]} is not Ed25519 (1)`);
  }
  const key = typedKey.slice(1);
  if (key.length !== ED25519_KEY_SIZE) throw malformedKey(`${what} (key length)`);
  return key;
}

async function importVerifier(
  name: string,
  keyId: number,
  publicKey: Uint8Array<ArrayBuffer>,
): Promise<NoteVerifier> {
  let cryptoKey: WebCryptoKey;
  try {
    cryptoKey = await subtle().importKey('raw', publicKey, ED25519_ALGORITHM, true, ['verify']);
  } catch {
    throw malformedKey('verifier key (not an Ed25519 public key)');
  }
  return {
    name,
    keyId,
    publicKey: publicKey.slice(),
    async verify(message, signature) {
      if (signature.length !== ED25519_SIGNATURE_SIZE) return false;
      try {
        return await subtle().verify(
          ED25519_ALGORITHM,
          cryptoKey,
          concatBytes(signature),
          concatBytes(message),
        );
      } catch {
        return false;
      }
    },
  };
}

/** Parses and checks a verifier key string (C2SP signed-note; Go note.NewVerifier). */
export async function parseVerifierKey(verifierKey: string): Promise<NoteVerifier> {
  const [name, rest] = chop(verifierKey, '+');
  const [hash16, key64] = chop(rest, '+');
  const { keyId, typedKey } = decodeKey(name, hash16, key64, 'verifier key');
  // As in Go, the key ID covers the typed key and is checked before the type.
  if ((await keyIdOf(name, typedKey)) !== keyId) {
    throw new TlogError('key_id_mismatch', `verifier key ${name}+${hash16}: key ID does not match the key`);
  }
  return importVerifier(name, keyId, ed25519KeyOf(typedKey, 'verifier key'));
}

async function signerFromSeed(name: string, seed: Uint8Array): Promise<NoteSigner> {
  const pkcs8 = concatBytes(PKCS8_ED25519_PREFIX, seed);
  // WebCrypto derives the public key only through an export, so import once extractable to read
  // it, and keep a second, non-extractable import for signing.
  const exportable = await subtle().importKey('pkcs8', pkcs8, ED25519_ALGORITHM, true, ['sign']);
  const jwk = await subtle().exportKey('jwk', exportable);
  const publicKey = jwk.x === undefined ? undefined : decodeBase64Url(jwk.x);
  if (publicKey?.length !== ED25519_KEY_SIZE) throw malformedKey('signer key (public key derivation failed)');
  const signingKey = await subtle().importKey('pkcs8', pkcs8, ED25519_ALGORITHM, false, ['sign']);
  pkcs8.fill(0);
  const keyId = await noteKeyId(name, publicKey);
  return {
    name,
    keyId,
    publicKey,
    verifierKey: await formatVerifierKey(name, publicKey),
    async sign(message) {
      return new Uint8Array(await subtle().sign(ED25519_ALGORITHM, signingKey, concatBytes(message)));
    },
  };
}

/** Parses a Go signer key `PRIVATE+KEY+<name>+<hash>+<base64(0x01 || seed)>` (note.NewSigner). */
export async function parseSignerKey(signerKey: string): Promise<NoteSigner> {
  const [private1, rest1] = chop(signerKey, '+');
  const [private2, rest2] = chop(rest1, '+');
  const [name, rest3] = chop(rest2, '+');
  const [hash16, key64] = chop(rest3, '+');
  if (private1 !== 'PRIVATE' || private2 !== 'KEY') throw malformedKey('signer key');
  const { keyId, typedKey } = decodeKey(name, hash16, key64, 'signer key');
  const seed = ed25519KeyOf(typedKey, 'signer key');
  typedKey.fill(0);
  const signer = await signerFromSeed(name, seed);
  seed.fill(0);
  // The key ID is of the public key, so it can only be checked after deriving it (as Go does).
  if (signer.keyId !== keyId) {
    throw new TlogError('key_id_mismatch', `signer key for ${name}: key ID does not match the key`);
  }
  return signer;
}

/** A new Ed25519 key pair as Go's note.GenerateKey writes it: keep `signerKey` secret. */
export async function generateSignerKey(name: string): Promise<{ signerKey: string; verifierKey: string }> {
  checkName(name);
  // An Ed25519 private key is 32 random bytes (RFC 8032 §5.1.5), as in Go's ed25519.GenerateKey.
  const seed = randomBytes(ED25519_KEY_SIZE);
  const signer = await signerFromSeed(name, seed);
  const typedSeed = encodeBase64(concatBytes(Uint8Array.of(ED25519), seed));
  seed.fill(0);
  return {
    signerKey: `PRIVATE+KEY+${name}+${keyIdHex(signer.keyId)}+${typedSeed}`,
    verifierKey: signer.verifierKey,
  };
}

function malformedNote(reason: string): TlogError {
  return new TlogError('note_malformed', `malformed note: ${reason}`);
}

/** Valid UTF-8 and no ASCII control characters other than newline (C2SP signed-note "Format"). */
function checkNoteCharacters(text: string): void {
  if (!isWellFormedText(text)) throw malformedNote('not valid Unicode');
  if (hasControlCharacter(text, true)) throw malformedNote('control character other than newline');
}

/**
 * Signs `text` (which must end in "\n") with each signer, in order, and returns the note. The
 * signature covers the text including its final newline, not the blank line (C2SP signed-note).
 */
export async function signNote(text: string, signers: readonly NoteSigner[]): Promise<string> {
  if (!text.endsWith('\n')) throw malformedNote('the text must end with a newline');
  checkNoteCharacters(text);
  if (signers.length === 0) throw new TlogError('invalid_argument', 'a note needs at least one signer');
  const message = utf8(text);
  let lines = '';
  for (const signer of signers) {
    checkName(signer.name);
    const signature = await signer.sign(message);
    lines += `${SIGNATURE_PREFIX}${signer.name} ${encodeBase64(concatBytes(uint32BE(signer.keyId), signature))}\n`;
  }
  return `${text}\n${lines}`;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeNote(note: string | Uint8Array): string {
  if (typeof note === 'string') return note;
  try {
    return utf8Decoder.decode(note);
  } catch {
    throw malformedNote('not valid UTF-8');
  }
}

function verifierIndex(verifiers: readonly NoteVerifier[]): Map<string, NoteVerifier | 'ambiguous'> {
  const index = new Map<string, NoteVerifier | 'ambiguous'>();
  for (const verifier of verifiers) {
    const key = `${verifier.name}+${keyIdHex(verifier.keyId)}`;
    const known = index.get(key);
    if (known === undefined) index.set(key, verifier);
    else if (known === 'ambiguous' || !bytesEqual(known.publicKey, verifier.publicKey))
      index.set(key, 'ambiguous');
  }
  return index;
}

/**
 * Parses a signed note and checks its signatures against the known verifiers (C2SP signed-note
 * "Signatures"; Go note.Open): signatures by unknown keys are ignored and listed as unverified; a
 * signature by a known key that fails rejects the whole note; a note with no verified signature is
 * rejected. Repeated signatures by one key count once.
 */
export async function openNote(
  note: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
): Promise<OpenedNote> {
  const message = decodeNote(note);
  checkNoteCharacters(message);
  // The text ends at the last blank line; the signature block follows it and ends in "\n".
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw malformedNote('no blank line before the signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw malformedNote('the signatures must end with a newline');

  const known = verifierIndex(verifiers);
  const signed = utf8(text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seenKeys = new Set<string>();
  const seenUnknownLines = new Set<string>();
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformedNote(`more than ${MAX_NOTE_SIGNATURES} signatures`);
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw malformedNote('a signature line must start with "— "');
    const [name, base64] = chop(line.slice(SIGNATURE_PREFIX.length), ' ');
    const raw = decodeBase64(base64);
    if (raw === undefined || raw.length < 5 || !isValidKeyName(name))
      throw malformedNote('bad signature line');
    const keyId = readUint32BE(raw);
    const signature: NoteSignature = { name, keyId, base64 };
    const key = `${name}+${keyIdHex(keyId)}`;
    const verifier = known.get(key);
    if (verifier === undefined) {
      if (!seenUnknownLines.has(line)) unverified.push(signature);
      seenUnknownLines.add(line);
      continue;
    }
    if (verifier === 'ambiguous')
      throw new TlogError('note_key_ambiguous', `more than one known key is ${key}`);
    if (seenKeys.has(key)) continue;
    seenKeys.add(key);
    if (!(await verifier.verify(signed, raw.subarray(4)))) {
      throw new TlogError('note_signature_invalid', `invalid signature for key ${key}`);
    }
    verified.push(signature);
  }
  if (verified.length === 0)
    throw new TlogError('note_unverified', 'no signature on the note is from a known key');
  return { text, verified, unverified };
}
