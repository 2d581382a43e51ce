// The demo partner apps Tunes and Flicks, registered on Parley the way any developer registers
// an app (by the demo developer "labs", through the developer use-cases), and kept pointing at
// the ports they run on (PORT+1, PORT+2). Their credentials go to a file in the data dir that
// only the launcher reads (scripts/start.mjs): the apps themselves take them from their env.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Actor } from '../policy/authorize.js';
import type { AuthService } from './auth.service.js';
import { DEMO_PASSWORD } from './demo.js';
import type { ServiceDeps } from './deps.js';
import type { AppInput, DeveloperService } from './developer.service.js';

export const DEMO_APPS_FILE = 'demo-apps.json';
export const DEMO_DEVELOPER = { username: 'labs', displayName: 'Parley Labs' } as const;

export interface DemoAppCredentials {
  name: string;
  /** Where the app runs (its own PUBLIC_URL) and the port it listens on. */
  url: string;
  port: number;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
}

export interface DemoApps {
  parleyUrl: string;
  tunes: DemoAppCredentials;
  flicks: DemoAppCredentials;
}

/** The app's own URL: Parley's public URL with the port moved by `offset`. */
export function demoAppUrl(
  config: Pick<Config, 'publicUrl' | 'port'>,
  offset: number,
): { url: string; port: number } {
  const port = config.port + offset;
  const url = new URL(config.publicUrl);
  url.port = String(port);
  return { url: url.origin, port };
}

function tunesInput(url: string): AppInput {
  return {
    name: 'Tunes',
    description: 'A small music player: share a song with a friend and chat about it beside the player.',
    homepageUrl: url,
    privacyPolicyUrl: `${url}/privacy`,
    redirectUris: [`${url}/callback`],
    webhookUrl: `${url}/webhooks/parley`,
    // Tunes reads new messages only while a page is open (/v1/events); by webhook it needs to
    // hear only that access ended, so it is not sent (nor logged as reading) every message.
    webhookEvents: ['grant.revoked', 'grant.expired'],
    scopes: [
      { scope: 'openid', purpose: 'To know it is you when you come back to Tunes.', required: true },
      { scope: 'profile', purpose: 'To show your name in the player.', required: true },
      {
        scope: 'friends.read',
        purpose: 'To list the friends who also use Tunes, so you can send them a song directly.',
        required: true,
      },
      {
        scope: 'messages.send',
        purpose: 'To send the songs you pick, and what you type in the chat, to the friend you choose.',
        required: true,
      },
      {
        scope: 'messages.read',
        purpose: 'To show the conversation about a song beside the player, with replies as they arrive.',
        required: true,
      },
      {
        scope: 'offline_access',
        purpose: 'To stay connected between your visits, so you do not have to connect again each time.',
        required: false,
      },
    ],
  };
}

function flicksInput(url: string): AppInput {
  return {
    name: 'Flicks',
    description: 'Recommend a show to a friend. Flicks can send what you recommend; it cannot read anything.',
    homepageUrl: url,
    privacyPolicyUrl: `${url}/privacy`,
    redirectUris: [`${url}/callback`],
    webhookUrl: null,
    scopes: [
      { scope: 'openid', purpose: 'To know it is you when you come back to Flicks.', required: true },
      { scope: 'profile', purpose: 'To greet you by name.', required: true },
      {
        scope: 'messages.send',
        purpose: 'To send a follow-up to a recommendation you made, or take one back.',
        required: true,
      },
    ],
  };
}

/**
 * Registers Tunes and Flicks on first start and points them at this run's ports on every
 * start (a changed PORT moves them), then writes their credentials for the launcher.
 */
export async function ensureDemoApps(
  deps: Pick<ServiceDeps, 'storage'> & { config: Pick<Config, 'publicUrl' | 'port' | 'dataDir'> },
  services: { auth: AuthService; developer: DeveloperService },
): Promise<DemoApps> {
  const { storage, config } = deps;
  let owner = await storage.repos.users.findByUsername(DEMO_DEVELOPER.username);
  if (!owner) {
    await services.auth.signup({ ...DEMO_DEVELOPER, password: DEMO_PASSWORD });
    owner = await storage.repos.users.findByUsername(DEMO_DEVELOPER.username);
  }
  if (!owner) throw new Error('the demo developer could not be created');
  const developer: Actor = { kind: 'person', userId: owner.id };
  const existing = await storage.repos.apps.listByOwner(owner.id);

  const ensure = async (input: AppInput, offset: number): Promise<DemoAppCredentials> => {
    const { url, port } = demoAppUrl(config, offset);
    const found = existing.find((app) => app.name === input.name);
    let clientId: string;
    if (!found) {
      clientId = (await services.developer.register(developer, input)).clientId;
    } else {
      clientId = found.client_id;
      const { scopes: _unchanged, ...addresses } = input;
      await services.developer.update(developer, clientId, addresses);
    }
    const row = await storage.repos.apps.find(clientId);
    if (!row) throw new Error(`the demo app ${input.name} is missing`);
    return {
      name: input.name,
      url,
      port,
      clientId,
      clientSecret: row.client_secret,
      webhookSecret: row.webhook_secret,
    };
  };

  const apps: DemoApps = {
    parleyUrl: config.publicUrl,
    tunes: await ensure(tunesInput(demoAppUrl(config, 1).url), 1),
    flicks: await ensure(flicksInput(demoAppUrl(config, 2).url), 2),
  };
  await fs.mkdir(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, DEMO_APPS_FILE);
  await fs.writeFile(`${file}.tmp`, `${JSON.stringify(apps, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(`${file}.tmp`, file);
  return apps;
}
