// STYLE.md rule 9: the committed types must be what docs/openapi.json generates today.
import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  OPENAPI_FILE,
  REGENERATE_COMMAND,
  renderCommittedOpenApiTypes,
  TYPES_FILE,
} from '../scripts/openapi-types.js';
import { SCOPE_NAMES } from '../src/index.js';

describe('sdk/src/generated/openapi.ts', () => {
  it('matches docs/openapi.json', { timeout: 30_000 }, async () => {
    const committed = await fs.readFile(TYPES_FILE, 'utf8');
    const generated = await renderCommittedOpenApiTypes();
    expect(
      committed === generated,
      `sdk/src/generated/openapi.ts is out of date with docs/openapi.json: run \`${REGENERATE_COMMAND}\` and commit the result`,
    ).toBe(true);
  });
});

describe('ScopeName', () => {
  it('lists exactly the scopes of the OpenAPI document’s OAuth scheme', async () => {
    const document = JSON.parse(await fs.readFile(OPENAPI_FILE, 'utf8')) as {
      components: {
        securitySchemes: { oauth2: { flows: { authorizationCode: { scopes: Record<string, string> } } } };
      };
    };
    const scopes = Object.keys(document.components.securitySchemes.oauth2.flows.authorizationCode.scopes);
    expect([...SCOPE_NAMES].sort()).toEqual(scopes.sort());
  });
});
