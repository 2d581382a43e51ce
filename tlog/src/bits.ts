// Index arithmetic for tree sizes up to Number.MAX_SAFE_INTEGER (2^53 − 1). JavaScript's bitwise
// operators truncate to 32 bits, so everything here is plain arithmetic, which is exact for safe
// integers and for their products with powers of two.
import { TlogError } from './errors.js';

export function assertSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TlogError('invalid_argument', `${what} must be a non-negative safe integer, got ${value}`);
  }
}

export function isOdd(value: number): boolean {
  return value % 2 === 1;
}

export function half(value: number): number {
  return Math.floor(value / 2);
}

export function popcount(value: number): number {
  let count = 0;
  for (let v = value; v > 0; v = half(v)) count += v % 2;
  return count;
}

/** True for 1, 2, 4, 8, …; false for 0. */
export function isPowerOfTwo(value: number): boolean {
  return value > 0 && popcount(value) === 1;
}
