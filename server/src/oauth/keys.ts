// Keys generated on first start and kept in the database (DESIGN.md "Configuration"): the
// cookie-signing keys of oidc-provider and the key that signs ID Tokens.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import type { Storage } from '../storage/database.js';

export interface OAuthKeys {
  cookieKeys: string[];
  jwks: { keys: JsonWebKey[] };
}

export async function loadOrCreateOAuthKeys(storage: Storage, now: Date): Promise<OAuthKeys> {
  const secrets = storage.repos.secrets;
  const cookieKeys = await secrets.putIfAbsent(
    'oauth.cookie_keys',
    JSON.stringify([randomBytes(32).toString('base64url')]),
    now.toISOString(),
  );
  const existingJwk = await secrets.find('oauth.signing_jwk');
  const jwk =
    existingJwk ??
    (await secrets.putIfAbsent(
      'oauth.signing_jwk',
      JSON.stringify({
        ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
        kid: randomBytes(8).toString('hex'),
        use: 'sig',
        alg: 'RS256',
      }),
      now.toISOString(),
    ));
  return { cookieKeys: JSON.parse(cookieKeys) as string[], jwks: { keys: [JSON.parse(jwk) as JsonWebKey] } };
}
