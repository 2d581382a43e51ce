// What the baseline servers and the suites that drive them agree on.

/** The one client of the bare oidc-provider (servers/bare-oidc.ts). */
export const BARE_CLIENT = { id: 'bench-client', secret: 'bench-client-secret-0123456789abcdef' } as const;
