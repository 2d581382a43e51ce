// C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): a signed note whose text is
//
//   <origin>\n<tree size in decimal>\n<base64 root hash>\n[<extension line>\n]*
//
// signed here with Ed25519 note signatures (signed-note type 0x01), which Go's sumdb/note opens.
import { bytesEqual, decodeBase64, encodeBase64, isWellFormedText } from './bytes.js';
import { TlogError } from './errors.js';
import { HASH_SIZE, emptyRoot } from './hash.js';
import {
  isValidKeyName,
  openNote,
  signNote,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
} from './note.js';

export interface Checkpoint {
  /** The log's identity, e.g. `parley.example/log`; by convention also its key name. */
  readonly origin: string;
  /** Number of leaves. */
  readonly size: number;
  /** MTH of those leaves (RFC 9162 §2.1.1), 32 bytes. */
  readonly rootHash: Uint8Array;
  /** Optional extra lines; NOT RECOMMENDED by the spec, since monitors cannot audit them. */
  readonly extensions?: readonly string[];
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint & { readonly extensions: readonly string[] };
  readonly note: OpenedNote;
}

function malformed(reason: string): TlogError {
  return new TlogError('checkpoint_malformed', `malformed checkpoint: ${reason}`);
}

function hasControlCharacter(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) < 0x20) return true;
  return false;
}

/** Lines are non-empty and cannot contain newlines or other control characters (a note can't). */
function isValidLine(line: string): boolean {
  return line !== '' && isWellFormedText(line) && !hasControlCharacter(line);
}

/**
 * The empty tree's root is fixed (RFC 9162 §2.1.1: MTH({}) = SHA-256()); a head of size 0 with
 * another root is a contradiction, so neither side accepts one (Tessera enforces the same).
 */
function checkHead(size: number, rootHash: Uint8Array): string | undefined {
  if (!Number.isSafeInteger(size) || size < 0) return `tree size ${size} is not a non-negative safe integer`;
  if (rootHash.length !== HASH_SIZE) return `root hash is ${rootHash.length} bytes, not ${HASH_SIZE}`;
  if (size === 0 && !bytesEqual(rootHash, emptyRoot())) return 'an empty tree must have root SHA-256()';
  return undefined;
}

/**
 * The note text of a checkpoint. We write only what every reader accepts: the origin must also be
 * a valid key name (the spec's SHOULD: no spaces, no "+"), and extension lines must be non-empty.
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  if (!isValidKeyName(origin)) throw malformed(`origin ${JSON.stringify(origin)} is not a valid log name`);
  const problem = checkHead(size, rootHash);
  if (problem !== undefined) throw malformed(problem);
  for (const line of extensions) {
    if (!isValidLine(line))
      throw malformed(`extension line ${JSON.stringify(line)} is empty or has control characters`);
  }
  return [origin, String(size), encodeBase64(rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/**
 * Parses a checkpoint's note text (C2SP tlog-checkpoint "Note text"): at least three non-empty
 * lines; size in decimal without leading zeros; root in canonical standard base64, 32 bytes;
 * any further lines are extensions. Sizes beyond 2^53 − 1 are refused (never reached by our log).
 */
export function parseCheckpoint(text: string): Checkpoint & { readonly extensions: readonly string[] } {
  if (!text.endsWith('\n')) throw malformed('the text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === undefined || sizeLine === undefined || rootLine === undefined) {
    throw malformed('fewer than three lines');
  }
  if (!lines.every(isValidLine)) throw malformed('empty line or control character');
  if (!DECIMAL.test(sizeLine))
    throw malformed(`tree size ${JSON.stringify(sizeLine)} is not a decimal number`);
  const size = Number(sizeLine);
  const rootHash = decodeBase64(rootLine);
  if (rootHash === undefined) throw malformed('root hash is not canonical base64');
  const problem = checkHead(size, rootHash);
  if (problem !== undefined) throw malformed(problem);
  return { origin, size, rootHash, extensions };
}

/** Formats and signs a checkpoint; the key name SHOULD equal the origin (C2SP tlog-checkpoint). */
export async function signCheckpoint(
  checkpoint: Checkpoint,
  signers: readonly NoteSigner[],
): Promise<string> {
  return signNote(formatCheckpoint(checkpoint), signers);
}

/**
 * Opens a signed checkpoint from the log `origin`: the note must carry a valid signature by one of
 * `verifiers` (see openNote), its text must be a well-formed checkpoint, and its origin must be the
 * expected one, so that a head of another log signed by a shared key is not mistaken for ours.
 */
export async function openCheckpoint(
  note: string | Uint8Array,
  expected: { readonly origin: string; readonly verifiers: readonly NoteVerifier[] },
): Promise<OpenedCheckpoint> {
  const opened = await openNote(note, expected.verifiers);
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== expected.origin) {
    throw new TlogError(
      'checkpoint_origin_mismatch',
      `checkpoint is from ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(expected.origin)}`,
    );
  }
  return { checkpoint, note: opened };
}
