import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DOCS, ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has a working default for everything', () => {
    const config = loadConfig({}, '/srv/parley');
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:8080',
      publicOrigin: 'http://localhost:8080',
      isSecure: false,
      isDemo: true,
      grantExpiryDays: 90,
      database: { kind: 'sqlite', file: path.join('/srv/parley/data', 'parley.sqlite') },
    });
    expect(config.allowedOrigins).toEqual([
      'http://localhost:8080',
      'http://127.0.0.1:8080',
      'http://[::1]:8080',
    ]);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads PostgreSQL, https and the rest from the environment', () => {
    const config = loadConfig({
      PORT: '9000',
      PUBLIC_URL: 'https://chat.example.org/',
      DATABASE_URL: 'postgres://u@db/parley',
      PARLEY_DEMO: '0',
      PARLEY_GRANT_EXPIRY_DAYS: '30',
    });
    expect(config.publicOrigin).toBe('https://chat.example.org');
    expect(config.isSecure).toBe(true);
    // An explicit public URL is the only origin that may change state.
    expect(config.allowedOrigins).toEqual(['https://chat.example.org']);
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db/parley' });
    expect(config.isDemo).toBe(false);
    expect(config.grantExpiryDays).toBe(30);
  });

  it('refuses bad values with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ PARLEY_DEMO: 'yes' })).toThrow(/PARLEY_DEMO/);
  });

  it('documents every variable it reads', () => {
    const names = CONFIG_DOCS.map((d) => d.name);
    for (const name of [
      'PORT',
      'HOST',
      'PUBLIC_URL',
      'PARLEY_DATA_DIR',
      'DATABASE_URL',
      'NATS_URL',
      'PARLEY_DEMO',
      'PARLEY_GRANT_EXPIRY_DAYS',
    ]) {
      expect(names).toContain(name);
    }
  });
});

describe('the README configuration table', () => {
  it('is the one generated from CONFIG_DOCS (run `npm run docs:config` after changing config.ts)', async () => {
    const { readFileSync } = await import('node:fs');
    const { withConfigTable } = await import('./config-docs.js');
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    expect(withConfigTable(readme)).toBe(readme);
  });
});
