// Loads the RFC 9162 proof vectors (transparency-dev/merkle testdata, Apache-2.0, kept with
// their licence in tlog/testdata/rfc9162 so a clone tests itself). Node-only, for tests.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBase64 } from '../bytes.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VECTORS_DIR = path.resolve(packageRoot, 'testdata/rfc9162');

function vectorsDir(): string {
  if (!existsSync(VECTORS_DIR)) {
    throw new Error(`RFC 9162 test vectors not found at ${VECTORS_DIR} (they are part of the repository).`);
  }
  return VECTORS_DIR;
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return listJson(full);
      return entry.name.endsWith('.json') ? [full] : [];
    })
    .sort();
}

/**
 * JSON.parse would round 18446744073709551615 (a uint64 in one vector) to a nearby double, so
 * integer fields are read from the text first. Values beyond 2^53 − 1 come back as unsafe numbers,
 * which the verifiers reject as invalid arguments, as they must.
 */
function parseWithIntegers(text: string, fields: readonly string[]): Record<string, unknown> {
  const quoted = text.replace(
    new RegExp(`"(${fields.join('|')})"\\s*:\\s*(-?\\d+)`, 'g'),
    (_match, name: string, digits: string) => `"${name}": "${digits}"`,
  );
  const parsed = JSON.parse(quoted) as Record<string, unknown>;
  for (const field of fields) parsed[field] = Number(parsed[field]);
  return parsed;
}

function hash(value: unknown, file: string): Uint8Array {
  const bytes = decodeBase64(value as string);
  if (bytes === undefined) throw new Error(`${file}: bad base64 ${String(value)}`);
  return bytes;
}

function hashes(value: unknown, file: string): Uint8Array[] {
  return ((value as unknown[] | null) ?? []).map((item) => hash(item, file));
}

export interface InclusionVector {
  readonly file: string;
  readonly desc: string;
  readonly wantErr: boolean;
  readonly leafIdx: number;
  readonly treeSize: number;
  readonly root: Uint8Array;
  readonly leafHash: Uint8Array;
  readonly proof: Uint8Array[];
}

export interface ConsistencyVector {
  readonly file: string;
  readonly desc: string;
  readonly wantErr: boolean;
  readonly size1: number;
  readonly size2: number;
  readonly root1: Uint8Array;
  readonly root2: Uint8Array;
  readonly proof: Uint8Array[];
}

export function inclusionVectors(): InclusionVector[] {
  const dir = path.join(vectorsDir(), 'inclusion');
  return listJson(dir).map((full) => {
    const file = path.relative(vectorsDir(), full);
    const raw = parseWithIntegers(readFileSync(full, 'utf8'), ['leafIdx', 'treeSize']);
    return {
      file,
      desc: raw.desc as string,
      wantErr: raw.wantErr as boolean,
      leafIdx: raw.leafIdx as number,
      treeSize: raw.treeSize as number,
      root: hash(raw.root, file),
      leafHash: hash(raw.leafHash, file),
      proof: hashes(raw.proof, file),
    };
  });
}

export function consistencyVectors(): ConsistencyVector[] {
  const dir = path.join(vectorsDir(), 'consistency');
  return listJson(dir).map((full) => {
    const file = path.relative(vectorsDir(), full);
    const raw = parseWithIntegers(readFileSync(full, 'utf8'), ['size1', 'size2']);
    return {
      file,
      desc: raw.desc as string,
      wantErr: raw.wantErr as boolean,
      size1: raw.size1 as number,
      size2: raw.size2 as number,
      root1: hash(raw.root1, file),
      root2: hash(raw.root2, file),
      proof: hashes(raw.proof, file),
    };
  });
}
