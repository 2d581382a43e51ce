// Passwords are hashed with scrypt (RFC 7914), a memory-hard KDF in node:crypto. The
// parameters live in each hash, so they can be raised later without breaking old hashes.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

/**
 * log2N = 15 (N = 32768, r = 8) uses 32 MiB per hash: OWASP's password storage cheat sheet
 * lists N=2^17 r=8 p=1 as the strongest option and N=2^15 as acceptable with r=8 p=3.
 * We use N=2^15, r=8, p=3. Tests pass a smaller cost to stay quick.
 */
export function createPasswordHasher(log2N = 15, p = 3): PasswordHasher {
  const r = 8;
  const keylen = 32;
  const optionsFor = (n: number, rr: number, pp: number): ScryptOptions => ({
    N: n,
    r: rr,
    p: pp,
    maxmem: 256 * n * rr + 1024 * 1024,
  });
  return {
    async hash(password) {
      const salt = randomBytes(16);
      const N = 2 ** log2N;
      const key = await scrypt(password, salt, keylen, optionsFor(N, r, p));
      return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
    },
    async verify(password, stored) {
      const [scheme, n, rr, pp, salt, expected] = stored.split('$');
      if (scheme !== 'scrypt' || !n || !rr || !pp || !salt || !expected) return false;
      const want = Buffer.from(expected, 'base64');
      const got = await scrypt(
        password,
        Buffer.from(salt, 'base64'),
        want.length,
        optionsFor(Number(n), Number(rr), Number(pp)),
      );
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
}
