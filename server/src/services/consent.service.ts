// The consent screen's use-cases, driven by oidc-provider's interactions: what the app asks
// for (its purposes beside Parley's fixed lines), and the person's decision. The grant
// records only what was ticked; for threads.connect, the ticked conversations travel as RFC
// 9396 authorization_details of type parley_thread.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { AppError } from '../errors.js';
import { THREAD_DETAIL_TYPE } from '../oauth/clients.js';
import { revokeProviderGrant } from '../oauth/revoke.js';
import type { Actor } from '../policy/authorize.js';
import { isScopeName, SCOPES, SCOPE_NAMES, type ScopeName } from '../policy/scopes.js';
import type { ServiceDeps } from './deps.js';
import { appPublic, appScopes } from './developer.service.js';
import { currentGrantOf, grantedScopes } from './grants.js';
import { must } from './guard.js';
import { threadRefs } from './thread-labels.js';
import type { UserView } from './views.js';

type Raw = { req: IncomingMessage; res: ServerResponse };

const MAX_SELECTED_THREADS = 100;

export function createConsentService(deps: ServiceDeps & { provider: Provider; apiResource: string }) {
  const { storage, clock, provider } = deps;

  async function interaction({ req, res }: Raw) {
    try {
      return await provider.interactionDetails(req, res);
    } catch {
      // SessionNotFound: the interaction cookie is missing, expired, or for another request.
      throw new AppError('interaction_not_found', 'Go back to the app and start again.');
    }
  }

  async function loadRequest(raw: Raw) {
    const details = await interaction(raw);
    const param = (name: string) => {
      const value = details.params[name];
      return typeof value === 'string' ? value : '';
    };
    const clientId = param('client_id');
    const app = await storage.repos.apps.find(clientId);
    if (!app) throw new AppError('interaction_not_found');
    const registered = await storage.repos.apps.scopesOf(clientId);
    const asked = new Set(param('scope').split(' '));
    // In catalogue order, only what the app both registered and asked for now.
    const scopeRows = SCOPE_NAMES.flatMap((name) =>
      registered.filter((r) => r.scope === name && asked.has(name)),
    );
    return { details, app, scopeRows, asked, redirectUri: param('redirect_uri') };
  }

  /**
   * The person's current grant if it already covers everything this request asks for: then
   * there is nothing to consent to (a returning person in a new browser), only to sign in.
   */
  async function coveringGrant(userId: string, clientId: string, asked: ReadonlySet<string>) {
    const grant = await currentGrantOf(storage.repos, userId, clientId, deps.grantExpiryDays, clock.now());
    if (!grant) return undefined;
    const granted = new Set<string>(grantedScopes(grant));
    return [...asked].every((scope) => scope === '' || granted.has(scope)) ? grant : undefined;
  }

  return {
    async details(raw: Raw, person: UserView | null) {
      const { details, app, scopeRows, asked, redirectUri } = await loadRequest(raw);
      const owner = await storage.repos.users.findById(app.owner_id);
      const wantsThreads = scopeRows.some((r) => r.scope === 'threads.connect');
      const threads =
        person && wantsThreads
          ? await threadRefs(
              storage.repos,
              person.id,
              await storage.repos.threads.listForMember(person.id, 200),
            )
          : [];
      return {
        uid: details.uid,
        app: appPublic(app, owner ?? { username: '?', display_name: '?' }),
        scopes: appScopes(scopeRows),
        person,
        threads,
        redirectOrigin: new URL(redirectUri).origin,
        alreadyConnected: person
          ? (await coveringGrant(person.id, app.client_id, asked)) !== undefined
          : false,
      };
    },

    /** Signs a returning person in to an app their current grant already covers; no new grant. */
    async continueConnected(raw: Raw, actor: Actor) {
      const { app, asked } = await loadRequest(raw);
      must(
        actor,
        'apps.manage',
        { kind: 'account', userId: actor.userId },
        () => new AppError('not_authenticated'),
      );
      const grant = await coveringGrant(actor.userId, app.client_id, asked);
      if (!grant) {
        throw new AppError('consent_required', `${app.name} needs your consent: choose what to allow.`);
      }
      const redirectTo = await provider.interactionResult(
        raw.req,
        raw.res,
        { login: { accountId: actor.userId }, consent: { grantId: grant.id } },
        { mergeWithLastSubmission: false },
      );
      return { redirectTo };
    },

    async confirm(raw: Raw, actor: Actor, input: { scopes: string[]; threadIds: string[] }) {
      const { app, scopeRows } = await loadRequest(raw);
      must(
        actor,
        'apps.manage',
        { kind: 'account', userId: actor.userId },
        () => new AppError('not_authenticated'),
      );
      const offered = new Set(scopeRows.map((r) => r.scope));
      const granted = new Set(input.scopes.filter((s): s is ScopeName => isScopeName(s) && offered.has(s)));
      for (const row of scopeRows) {
        if (row.is_required === 1 && !granted.has(row.scope as ScopeName)) {
          throw new AppError(
            'invalid_request',
            `${app.name} needs "${SCOPES[row.scope as ScopeName].title}" to work.`,
          );
        }
      }
      const threadIds = [...new Set(input.threadIds)];
      if (threadIds.length > 0 && !granted.has('threads.connect')) {
        throw new AppError(
          'invalid_request',
          'Conversations can only be chosen with "Join conversations you choose".',
        );
      }
      if (threadIds.length > MAX_SELECTED_THREADS)
        throw new AppError('invalid_request', 'Choose at most 100 conversations.');
      for (const threadId of threadIds) {
        const facts = await storage.repos.threads.facts(threadId);
        must(
          actor,
          'thread.read',
          { kind: 'thread', ...(facts ?? emptyThread(threadId)) },
          () => new AppError('thread_not_found'),
        );
      }

      const grant = new provider.Grant({ accountId: actor.userId, clientId: app.client_id });
      const protocolScopes = [...granted].filter((s) => SCOPES[s].isProtocolScope);
      const apiScopes = [...granted].filter((s) => !SCOPES[s].isProtocolScope);
      if (protocolScopes.length) grant.addOIDCScope(protocolScopes.join(' '));
      if (apiScopes.length) grant.addResourceScope(deps.apiResource, apiScopes.join(' '));
      // What the person unticked is recorded as refused, so the library does not ask again.
      const refused = [...offered].filter((s): s is ScopeName => isScopeName(s) && !granted.has(s));
      const refusedProtocol = refused.filter((s) => SCOPES[s].isProtocolScope);
      const refusedApi = refused.filter((s) => !SCOPES[s].isProtocolScope);
      if (refusedProtocol.length) grant.rejectOIDCScope(refusedProtocol.join(' '));
      if (refusedApi.length) grant.rejectResourceScope(deps.apiResource, refusedApi.join(' '));
      for (const identifier of threadIds)
        grant.addRar({ type: THREAD_DETAIL_TYPE, identifier, actions: ['read', 'post'] });
      const grantId = await grant.save();

      // One live grant per person and app: a new consent replaces the old one and its tokens.
      const now = clock.now().toISOString();
      const previous = await storage.transaction(async (repos) => {
        const old = await repos.grants.findLive(actor.userId, app.client_id);
        if (old) {
          await repos.grants.revoke(old.id, now);
          await deps.webhooks.grantEnded(repos, old, 'grant.revoked');
        }
        await repos.grants.insert(
          {
            id: grantId,
            user_id: actor.userId,
            client_id: app.client_id,
            scopes: JSON.stringify([...granted]),
            consent_version: app.consent_version,
            created_at: now,
            last_used_at: now,
            revoked_at: null,
          },
          threadIds,
        );
        return old;
      });
      if (previous) {
        await revokeProviderGrant(provider, previous.id);
        deps.bus.publish([
          { recipients: [actor.userId], event: { type: 'grant.ended', clientId: app.client_id } },
        ]);
      }

      const redirectTo = await provider.interactionResult(
        raw.req,
        raw.res,
        { login: { accountId: actor.userId }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
      return { redirectTo };
    },

    async deny(raw: Raw) {
      await interaction(raw);
      const redirectTo = await provider.interactionResult(
        raw.req,
        raw.res,
        { error: 'access_denied', error_description: 'The person did not allow access.' },
        { mergeWithLastSubmission: false },
      );
      return { redirectTo };
    },
  };
}

function emptyThread(id: string) {
  return { id, memberIds: new Set<string>(), originClientId: null, removedClientIds: new Set<string>() };
}

export type ConsentService = ReturnType<typeof createConsentService>;
