import type Provider from 'oidc-provider';

/**
 * Ends an oidc-provider grant at once: every access token, refresh token and unused code
 * issued under it, then the grant itself (the library has no one-call "revoke app").
 */
export async function revokeProviderGrant(provider: Provider, grantId: string): Promise<void> {
  await Promise.all([
    provider.AccessToken.revokeByGrantId(grantId),
    provider.RefreshToken.revokeByGrantId(grantId),
    provider.AuthorizationCode.revokeByGrantId(grantId),
  ]);
  const grant = await provider.Grant.find(grantId, { ignoreExpiration: true });
  await grant?.destroy();
}
