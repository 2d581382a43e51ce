import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from './password.js';

describe('password hashing', () => {
  it('uses scrypt with N=2^15, r=8, p=3 by default and verifies only the right password', async () => {
    const hasher = createPasswordHasher();
    const stored = await hasher.hash('correct horse battery staple');
    expect(stored.split('$').slice(0, 4)).toEqual(['scrypt', '32768', '8', '3']);
    expect(await hasher.verify('correct horse battery staple', stored)).toBe(true);
    expect(await hasher.verify('correct horse battery stapler', stored)).toBe(false);
  });

  it('salts every hash and verifies hashes made with other parameters', async () => {
    const cheap = createPasswordHasher(10, 1);
    const a = await cheap.hash('same password');
    const b = await cheap.hash('same password');
    expect(a).not.toBe(b);
    expect(await createPasswordHasher().verify('same password', a)).toBe(true);
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    const hasher = createPasswordHasher(10, 1);
    for (const stored of ['', 'plain', 'scrypt$1$2', 'bcrypt$a$b$c$d$e']) {
      expect(await hasher.verify('x', stored)).toBe(false);
    }
  });
});
