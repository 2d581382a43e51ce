// @parley/tlog: the transparency log's pure core. No I/O and no Node-only APIs, so the server, the
// CLI and the web app share it. See README.md for the formats and the RFC/C2SP sections obeyed.
export { TlogError, isTlogError, type TlogErrorCode } from './errors.js';
export { bytesEqual, decodeBase64, decodeHex, encodeBase64, encodeHex } from './bytes.js';
export { HASH_SIZE, emptyRoot, hashChildren, hashLeaf, sha256 } from './hash.js';
export {
  CompactTree,
  compactRange,
  foldCompactRange,
  merkleTreeHash,
  rootFromLeafHashes,
  type AppendAllResult,
  type CompactTreeOptions,
  type HashChildren,
  type AppendResult,
  type NodeId,
  type TreeNode,
} from './tree.js';
export {
  assembleProof,
  consistencyProof,
  consistencyProofPlan,
  inclusionProof,
  inclusionProofPlan,
  rootFromInclusionProof,
  rootFromNodeSource,
  verifyConsistency,
  verifyExtends,
  verifyInclusion,
  type ConsistencyClaim,
  type InclusionClaim,
  type NodeHashSource,
  type ProofPlan,
  type TreeHead,
} from './proof.js';
export { MemoryTree } from './memory-tree.js';
export {
  MAX_NOTE_SIGNATURES,
  formatVerifierKey,
  generateSignerKey,
  isValidKeyName,
  noteKeyId,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
} from './note.js';
export {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  type Checkpoint,
  type OpenedCheckpoint,
} from './checkpoint.js';
