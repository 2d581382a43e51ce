import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  bytesEqual,
  concatBytes,
  decodeBase64,
  decodeBase64Url,
  decodeHex,
  encodeBase64,
  encodeHex,
  isWellFormedText,
} from './bytes.js';

function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out[i] = x >> 16;
  }
  return out;
}

describe('base64 (RFC 4648 §4)', () => {
  it('agrees with Node for every length 0..100', () => {
    for (let length = 0; length <= 100; length++) {
      const bytes = pseudoRandomBytes(length, length);
      const text = Buffer.from(bytes).toString('base64');
      expect(encodeBase64(bytes)).toBe(text);
      expect(decodeBase64(text)).toEqual(bytes);
      expect(decodeBase64Url(Buffer.from(bytes).toString('base64url'))).toEqual(bytes);
    }
  });

  it('accepts only the canonical padded encoding', () => {
    for (const text of [
      'QQ',
      'QQ=',
      'QR==',
      'QUJ=',
      'Q===',
      '====',
      'QUJD\n',
      ' QUJD',
      'QU=D',
      'QUJD-_==',
      'QUJD====',
      'é',
    ]) {
      expect(decodeBase64(text), text).toBeUndefined();
    }
    expect(decodeBase64('')).toEqual(new Uint8Array(0));
    expect(decodeBase64('QQ==')).toEqual(Uint8Array.of(0x41));
    expect(decodeBase64('QUI=')).toEqual(Uint8Array.of(0x41, 0x42));
  });
});

describe('hex and byte helpers', () => {
  it('round-trips hex and rejects odd or non-hex input', () => {
    expect(encodeHex(Uint8Array.of(0, 0xab, 0xff))).toBe('00abff');
    expect(decodeHex('00ABff')).toEqual(Uint8Array.of(0, 0xab, 0xff));
    expect(() => decodeHex('abc')).toThrow();
    expect(() => decodeHex('zz')).toThrow();
  });

  it('finds lone surrogates, which have no UTF-8 encoding', () => {
    for (const text of ['', 'abc', 'é', '\u{1f600}', 'a\u{1f600}b'])
      expect(isWellFormedText(text), text).toBe(true);
    for (const text of ['\ud800', '\udc00', 'a\ud83d', '\ude00a', '\ud83d\ud83d\ude00\ude00']) {
      expect(isWellFormedText(text), JSON.stringify(text)).toBe(false);
    }
  });

  it('concatenates and compares', () => {
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(
      Uint8Array.of(1, 2, 3),
    );
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false);
  });
});
