// The developer console: register an app, see and change it, rotate its secret. An app's
// powers are the catalogue's lines for the scopes it registered, with its own purposes.
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import { isHttpsOrLoopback } from '../lib/outbound-url.js';
import type { Actor } from '../policy/authorize.js';
import { SCOPES, type ScopeName } from '../policy/scopes.js';
import type { AppRow, AppScopeRow } from '../storage/repositories/app.repository.js';
import type { ServiceDeps } from './deps.js';
import { grantStatus } from './grants.js';
import { must } from './guard.js';
import { WEBHOOK_EVENT_TYPES, webhookEventsOf, type WebhookEventType } from './webhook.service.js';

export interface AppScopeInput {
  scope: ScopeName;
  purpose: string;
  required?: boolean | undefined;
}

export interface AppInput {
  name: string;
  description: string;
  homepageUrl: string;
  privacyPolicyUrl: string;
  redirectUris: string[];
  scopes: AppScopeInput[];
  webhookUrl?: string | null | undefined;
  /** The webhook events the app wants (default: all); least privilege for what it is sent. */
  webhookEvents?: readonly WebhookEventType[] | undefined;
}

export function scopeInfo(scope: ScopeName) {
  const { title, can, cannot } = SCOPES[scope];
  return { scope, title, can: [...can], cannot: [...cannot] };
}

export function appPublic(app: AppRow, developer: { username: string; display_name: string }) {
  return {
    clientId: app.client_id,
    name: app.name,
    description: app.description,
    homepageUrl: app.homepage_url,
    privacyPolicyUrl: app.privacy_policy_url,
    developer: { username: developer.username, displayName: developer.display_name },
  };
}

export function appScopes(rows: readonly AppScopeRow[]) {
  return rows.flatMap((row) =>
    row.scope in SCOPES
      ? [{ ...scopeInfo(row.scope as ScopeName), purpose: row.purpose, required: row.is_required === 1 }]
      : [],
  );
}

const newSecret = () => randomBytes(32).toString('base64url');

/** In catalogue order, each once. */
const uniqueEvents = (events: readonly WebhookEventType[]) =>
  WEBHOOK_EVENT_TYPES.filter((e) => events.includes(e));

function validate(input: Partial<AppInput>): void {
  if (input.scopes) {
    const names = input.scopes.map((s) => s.scope);
    if (new Set(names).size !== names.length)
      throw new AppError('invalid_request', 'Each scope may be listed once.');
    // openid is how an app learns who connected it: every app registers it.
    if (!names.includes('openid')) throw new AppError('invalid_request', 'Register the openid scope.');
  }
  for (const uri of input.redirectUris ?? []) {
    if (new URL(uri).hash)
      throw new AppError('invalid_request', `Redirect URIs cannot have a fragment: ${uri}`);
    if (!isHttpsOrLoopback(uri)) {
      throw new AppError('invalid_request', `Redirect URIs must use https (http only on localhost): ${uri}`);
    }
  }
  if (input.webhookUrl && !isHttpsOrLoopback(input.webhookUrl)) {
    throw new AppError(
      'invalid_request',
      `The webhook URL must use https (http only on localhost): ${input.webhookUrl}`,
    );
  }
}

export function createDeveloperService(deps: ServiceDeps) {
  const { storage, clock } = deps;

  async function owned(actor: Actor, clientId: string): Promise<AppRow> {
    const app = await storage.repos.apps.find(clientId);
    const notFound = () => new AppError('app_not_found');
    if (!app) throw notFound();
    must(actor, 'apps.develop', { kind: 'app_registration', ownerId: app.owner_id }, notFound);
    return app;
  }

  async function view(app: AppRow) {
    // The console shows every request counted so far.
    await deps.usage.flush();
    const [owner, scopes, usage, grants] = await Promise.all([
      storage.repos.users.findById(app.owner_id),
      storage.repos.apps.scopesOf(app.client_id),
      storage.repos.apps.usageOf(app.client_id),
      storage.repos.grants.listForClient(app.client_id),
    ]);
    const now = clock.now();
    const counts = { active: 0, expired: 0, revoked: 0 };
    for (const grant of grants) counts[grantStatus(grant, deps.grantExpiryDays, now)] += 1;
    return {
      ...appPublic(app, owner ?? { username: '?', display_name: '?' }),
      redirectUris: JSON.parse(app.redirect_uris) as string[],
      scopes: appScopes(scopes),
      webhookUrl: app.webhook_url,
      webhookEvents: webhookEventsOf(app),
      consentVersion: app.consent_version,
      createdAt: app.created_at,
      updatedAt: app.updated_at,
      usage: usage.map((u) => ({ action: u.action, count: u.count, lastUsedAt: u.last_used_at })),
      grants: counts,
    };
  }

  const scopeRows = (clientId: string, scopes: readonly AppScopeInput[]): AppScopeRow[] =>
    scopes.map((s) => ({
      client_id: clientId,
      scope: s.scope,
      purpose: s.purpose.trim(),
      // openid is what connecting means: it is always required.
      is_required: s.required || s.scope === 'openid' ? 1 : 0,
    }));

  return {
    catalogue: () => Object.values(SCOPES).map((s) => scopeInfo(s.name)),

    async register(actor: Actor, input: AppInput) {
      must(
        actor,
        'apps.develop',
        { kind: 'app_registration', ownerId: actor.userId },
        () => new AppError('not_authenticated'),
      );
      validate(input);
      const now = clock.now().toISOString();
      const app: AppRow = {
        client_id: `app_${randomBytes(12).toString('base64url')}`,
        client_secret: newSecret(),
        owner_id: actor.userId,
        name: input.name.trim(),
        description: input.description.trim(),
        homepage_url: input.homepageUrl,
        privacy_policy_url: input.privacyPolicyUrl,
        redirect_uris: JSON.stringify(input.redirectUris),
        webhook_url: input.webhookUrl ?? null,
        webhook_secret: newSecret(),
        webhook_events: JSON.stringify(
          input.webhookEvents ? uniqueEvents(input.webhookEvents) : WEBHOOK_EVENT_TYPES,
        ),
        consent_version: 1,
        created_at: now,
        updated_at: now,
      };
      await storage.transaction((repos) => repos.apps.insert(app, scopeRows(app.client_id, input.scopes)));
      return { ...(await view(app)), clientSecret: app.client_secret, webhookSecret: app.webhook_secret };
    },

    async list(actor: Actor) {
      must(
        actor,
        'apps.develop',
        { kind: 'app_registration', ownerId: actor.userId },
        () => new AppError('not_authenticated'),
      );
      const apps = await storage.repos.apps.listByOwner(actor.userId);
      return Promise.all(apps.map(view));
    },

    async get(actor: Actor, clientId: string) {
      return view(await owned(actor, clientId));
    },

    async update(actor: Actor, clientId: string, input: Partial<AppInput>) {
      const app = await owned(actor, clientId);
      validate(input);
      const now = clock.now().toISOString();
      await storage.transaction(async (repos) => {
        let consentVersion = app.consent_version;
        if (input.scopes) {
          const before = new Set((await repos.apps.scopesOf(clientId)).map((s) => s.scope));
          // New powers need new consent: every existing grant is asked again.
          if (input.scopes.some((s) => !before.has(s.scope))) consentVersion += 1;
          await repos.apps.replaceScopes(clientId, scopeRows(clientId, input.scopes));
        }
        await repos.apps.update(clientId, {
          ...(input.name === undefined ? {} : { name: input.name.trim() }),
          ...(input.description === undefined ? {} : { description: input.description.trim() }),
          ...(input.homepageUrl === undefined ? {} : { homepage_url: input.homepageUrl }),
          ...(input.privacyPolicyUrl === undefined ? {} : { privacy_policy_url: input.privacyPolicyUrl }),
          ...(input.redirectUris === undefined ? {} : { redirect_uris: JSON.stringify(input.redirectUris) }),
          ...(input.webhookUrl === undefined ? {} : { webhook_url: input.webhookUrl }),
          ...(input.webhookEvents === undefined
            ? {}
            : { webhook_events: JSON.stringify(uniqueEvents(input.webhookEvents)) }),
          consent_version: consentVersion,
          updated_at: now,
        });
      });
      return this.get(actor, clientId);
    },

    async rotateSecret(actor: Actor, clientId: string) {
      await owned(actor, clientId);
      const clientSecret = newSecret();
      await storage.repos.apps.update(clientId, {
        client_secret: clientSecret,
        updated_at: clock.now().toISOString(),
      });
      return { clientSecret };
    },

    async deliveries(actor: Actor, clientId: string) {
      await owned(actor, clientId);
      const rows = await storage.repos.apps.deliveriesOf(clientId, 100);
      return rows.map((d) => ({
        id: d.id,
        event: d.event,
        status: d.status,
        attempts: d.attempts,
        lastStatusCode: d.last_status_code,
        createdAt: d.created_at,
        deliveredAt: d.delivered_at,
      }));
    },
  };
}

export type DeveloperService = ReturnType<typeof createDeveloperService>;
