// A registered app as oidc-provider's client metadata (RFC 7591 names).
import { SCOPES, isScopeName } from '../policy/scopes.js';
import type { AppRow, AppScopeRow } from '../storage/repositories/app.repository.js';

export const THREAD_DETAIL_TYPE = 'parley_thread';

export function clientMetadataFor(app: AppRow, scopes: readonly AppScopeRow[]) {
  const names = scopes.map((s) => s.scope).filter(isScopeName);
  // `scope` covers protocol scopes only (the library rejects others there); the app's API
  // scopes are enforced per request in getResourceServerInfo.
  const protocolScopes = names.filter((name) => SCOPES[name].isProtocolScope);
  return {
    client_id: app.client_id,
    client_secret: app.client_secret,
    client_name: app.name,
    client_uri: app.homepage_url,
    policy_uri: app.privacy_policy_url,
    redirect_uris: JSON.parse(app.redirect_uris) as string[],
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: protocolScopes.join(' '),
    ...(names.includes('threads.connect') ? { authorization_details_types: [THREAD_DETAIL_TYPE] } : {}),
    parley_scopes: names,
  };
}
