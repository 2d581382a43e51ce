/**
 * Every failure in this package is a `TlogError` with a stable snake_case `code` (STYLE.md rule 5):
 * callers branch on the code, never on the message, which is for people.
 */
export type TlogErrorCode =
  /** An index, size, hash length or other argument is outside what the operation accepts. */
  | 'invalid_argument'
  /** A hash source (storage) returned the wrong number of hashes or a hash of the wrong length. */
  | 'hash_source_invalid'
  /** An inclusion or consistency proof does not prove what it claims (RFC 9162 §2.1.3.2, §2.1.4.2). */
  | 'proof_invalid'
  /** A signed note is not well formed (C2SP signed-note "Format"). */
  | 'note_malformed'
  /** No signature on the note is from a known key (C2SP signed-note: clients MUST reject). */
  | 'note_unverified'
  /** A signature from a known key failed to verify (C2SP signed-note: clients SHOULD reject). */
  | 'note_signature_invalid'
  /** Two different known keys share a key name and key ID, so a signature cannot be attributed. */
  | 'note_key_ambiguous'
  /** A verifier or signer key string is not well formed. */
  | 'key_malformed'
  /** A key string's key ID does not match the one computed from its name and public key. */
  | 'key_id_mismatch'
  /** A key uses a signature type other than Ed25519 (0x01). */
  | 'key_unsupported'
  /** A checkpoint body is not well formed (C2SP tlog-checkpoint "Note text"). */
  | 'checkpoint_malformed'
  /** A checkpoint is from another log than the one expected. */
  | 'checkpoint_origin_mismatch';

export class TlogError extends Error {
  readonly code: TlogErrorCode;

  constructor(code: TlogErrorCode, message: string) {
    super(message);
    this.name = 'TlogError';
    this.code = code;
  }
}

export function isTlogError(value: unknown, code?: TlogErrorCode): value is TlogError {
  return value instanceof TlogError && (code === undefined || value.code === code);
}
