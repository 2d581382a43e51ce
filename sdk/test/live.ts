// A real Parley (SQLite, on a real port) for the SDK's integration tests, through the server's
// own test harness: people sign up and befriend, a developer registers an app, and a person
// consents through HTTP with a cookie jar. Only the partner's side is the SDK.
// The harness reads vitest's provided context, whose type the server's global setup declares.
import type {} from '../../server/test/global-setup.js';
import type { Clock } from '../../server/src/lib/clock.js';
import { befriend, client, manualClock, signupAll, type Person } from '../../server/test/harness.js';
import {
  consent,
  REDIRECT_URI,
  registerApp,
  startLiveApp,
  type LiveApp,
  type RegisteredApp,
} from '../../server/test/oauth-harness.js';
import {
  ParleyClient,
  ParleyOAuth,
  type ParleyClientOptions,
  type ScopeName,
  type TokenSet,
} from '../src/index.js';

export { REDIRECT_URI, client, manualClock, type LiveApp, type Person };

export const ALL_SCOPES = [
  'openid',
  'profile',
  'offline_access',
  'friends.read',
  'messages.send',
  'messages.read',
  'threads.connect',
] as const satisfies readonly ScopeName[];

export interface World {
  t: LiveApp;
  dev: Person;
  ann: Person;
  bob: Person;
  app: RegisteredApp & { webhookSecret: string };
  oauth: ParleyOAuth;
  /** Connects `person` through the SDK: authorization URL → consent over HTTP → finishAuthorization. */
  connect(
    person: Person,
    scopes: readonly ScopeName[],
    options?: { threadIds?: string[] },
  ): Promise<TokenSet>;
  /** A client for a token. */
  clientFor(tokens: TokenSet, options?: Partial<ParleyClientOptions>): ParleyClient;
  close(): Promise<void>;
}

/** Ann and Bob are friends; Dev registered "Tunes" with every scope (none required but openid). */
export async function startWorld(options: { webhookUrl?: string; clock?: Clock } = {}): Promise<World> {
  const t = await startLiveApp('sqlite', options.clock ? { clock: options.clock } : {});
  const [dev, ann, bob] = await signupAll(t.app, 'dev', 'ann', 'bob');
  await befriend(t.app, ann, bob);
  const app = (await registerApp(
    t,
    dev,
    ALL_SCOPES.map((scope) => ({ scope, required: scope === 'openid' })),
    options.webhookUrl ? { webhookUrl: options.webhookUrl } : {},
  )) as RegisteredApp & { webhookSecret: string };
  const oauth = await ParleyOAuth.discover({
    parleyUrl: t.baseUrl,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: REDIRECT_URI,
  });
  return {
    t,
    dev,
    ann,
    bob,
    app,
    oauth,
    async connect(person, scopes, { threadIds = [] } = {}) {
      const isThreads = scopes.includes('threads.connect');
      const pending = await oauth.createAuthorization({ scopes, threadsConnect: isThreads });
      const { callbackUrl } = await consent(t, person, pending.url.href, { scopes: [...scopes], threadIds });
      return oauth.finishAuthorization(callbackUrl, pending);
    },
    clientFor(tokens, clientOptions = {}) {
      return new ParleyClient({ parleyUrl: t.baseUrl, accessToken: tokens.accessToken, ...clientOptions });
    },
    close: () => t.close(),
  };
}

/** The person revokes the app in Apps & access (the first-party API, as the web app does). */
export async function revokeApp(world: World, person: Person): Promise<void> {
  const response = await client(world.t.app, person.cookie).delete(`/api/apps/${world.app.clientId}`);
  if (response.statusCode !== 204) throw new Error(`revoke: ${response.statusCode} ${response.body}`);
}

/** `person` writes in a conversation in Parley itself. */
export async function say(
  world: World,
  person: Person,
  threadId: string,
  text: string,
): Promise<{ id: string }> {
  const response = await client(world.t.app, person.cookie).post(`/api/threads/${threadId}/messages`, {
    text,
  });
  if (response.statusCode !== 201) throw new Error(`say: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string }>();
}

/** Ann and Bob's own one-to-one conversation (not started through any app). */
export async function directThread(world: World, person: Person, other: Person): Promise<string> {
  const response = await client(world.t.app, person.cookie).post('/api/threads', {
    participants: [other.id],
  });
  return response.json<{ id: string }>().id;
}
