// The only reader of process.env. Every setting is validated once, documented here, and
// frozen: the README's configuration table is generated from CONFIG_DOCS.
import path from 'node:path';

export type DatabaseConfig =
  { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  /** Origin of publicUrl. */
  readonly publicOrigin: string;
  /**
   * Origins allowed to change state through the first-party API: publicOrigin only, or, when
   * PUBLIC_URL is unset, every loopback spelling of this port (localhost, 127.0.0.1, [::1]),
   * so a newcomer's browser works whichever one they typed.
   */
  readonly allowedOrigins: readonly string[];
  readonly isSecure: boolean;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly natsUrl: string | null;
  readonly isDemo: boolean;
  readonly grantExpiryDays: number;
  /** Partner API requests a second, sustained, per app and person (the app as a whole: 10×). */
  readonly partnerRateLimit: number;
  readonly logLevel: string;
  /** Where the built web app lives; null serves no web app (API only). */
  readonly webDist: string | null;
}

export interface ConfigDoc {
  readonly name: string;
  readonly default: string;
  readonly meaning: string;
}

export const CONFIG_DOCS: readonly ConfigDoc[] = [
  { name: 'PORT', default: '8080', meaning: 'TCP port the platform listens on.' },
  {
    name: 'HOST',
    default: '127.0.0.1',
    meaning: 'Address to bind. Use 0.0.0.0 behind a proxy or in a container.',
  },
  {
    name: 'PUBLIC_URL',
    default: 'http://localhost:$PORT',
    meaning:
      'The URL people use. Its origin is the only one allowed to change state (unset: any loopback spelling of the port); https makes cookies Secure.',
  },
  {
    name: 'PARLEY_DATA_DIR',
    default: './data',
    meaning: 'Folder of the SQLite database (parley.sqlite).',
  },
  {
    name: 'DATABASE_URL',
    default: '(unset)',
    meaning: 'Unset: SQLite in the data dir. postgres://…: PostgreSQL, with a connection pool.',
  },
  {
    name: 'NATS_URL',
    default: '(unset)',
    meaning: 'Unset: in-process event bus (one API node). Reserved for the NATS backplane.',
  },
  {
    name: 'PARLEY_DEMO',
    default: '1',
    meaning:
      '1: create the demo people (alice, bob, carol) and conversations on first start. 0: an empty platform.',
  },
  {
    name: 'PARLEY_GRANT_EXPIRY_DAYS',
    default: '90',
    meaning: 'Days a partner grant may go unused before it expires.',
  },
  {
    name: 'PARLEY_PARTNER_RATE_LIMIT',
    default: '5',
    meaning:
      'Partner API requests a second per app and person, with bursts of 12× that (60); each app as a whole gets 10× both. Beyond them: 429 with Retry-After.',
  },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'pino log level (fatal … trace, or silent).' },
];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new ConfigError(`${name} must be 1 or 0, got "${raw}"`);
}

function parseUrl(name: string, raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${raw}"`);
  }
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const publicUrlRaw = env.PUBLIC_URL || `http://localhost:${port}`;
  const publicUrl = parseUrl('PUBLIC_URL', publicUrlRaw);
  if (publicUrl.protocol !== 'http:' && publicUrl.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_URL must be http or https, got "${publicUrlRaw}"`);
  }
  const dataDir = path.resolve(cwd, env.PARLEY_DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL;
  let database: DatabaseConfig;
  if (databaseUrl) {
    const url = parseUrl('DATABASE_URL', databaseUrl);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new ConfigError('DATABASE_URL must start with postgres:// (unset it for SQLite)');
    }
    database = { kind: 'postgres', url: databaseUrl };
  } else {
    database = { kind: 'sqlite', file: path.join(dataDir, 'parley.sqlite') };
  }
  const config: Config = {
    port,
    host,
    publicUrl: publicUrl.href.replace(/\/$/, ''),
    publicOrigin: publicUrl.origin,
    allowedOrigins: env.PUBLIC_URL
      ? [publicUrl.origin]
      : ['localhost', '127.0.0.1', '[::1]'].map((h) => `http://${h}:${port}`),
    isSecure: publicUrl.protocol === 'https:',
    dataDir,
    database,
    natsUrl: env.NATS_URL || null,
    isDemo: flag(env, 'PARLEY_DEMO', true),
    grantExpiryDays: integer(env, 'PARLEY_GRANT_EXPIRY_DAYS', 90, 1, 3650),
    partnerRateLimit: integer(env, 'PARLEY_PARTNER_RATE_LIMIT', 5, 1, 1_000_000),
    logLevel: env.LOG_LEVEL || 'info',
    webDist: path.resolve(import.meta.dirname, '../../web/dist'),
  };
  return Object.freeze(config);
}
