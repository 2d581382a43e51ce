// The SDK's types come from the server's OpenAPI document, never from a hand-made copy
// (STYLE.md rule 9). This module renders them; generate-types.ts writes the file and
// test/generated-types.test.ts renders them again in memory to catch drift.
import fs from 'node:fs/promises';
import path from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import * as prettier from 'prettier';

export const OPENAPI_FILE = path.resolve(import.meta.dirname, '../../docs/openapi.json');
export const TYPES_FILE = path.resolve(import.meta.dirname, '../src/generated/openapi.ts');
export const REGENERATE_COMMAND = 'npm run sdk:types';

const HEADER = `// Generated from docs/openapi.json by \`${REGENERATE_COMMAND}\` (openapi-typescript). Do not edit:
// change the server's route schemas, run \`npm run openapi\`, then \`${REGENERATE_COMMAND}\`.
// Only the partner API (/v1) is kept: the first-party API is not for partners.
`;

/** The document reduced to the partner API's paths. */
function partnerDocument(document: OpenAPI3): OpenAPI3 {
  const paths = Object.fromEntries(
    Object.entries(document.paths ?? {}).filter(([route]) => route.startsWith('/v1/')),
  );
  return { ...document, paths };
}

/** The TypeScript source of src/generated/openapi.ts for this OpenAPI document text, formatted as committed. */
export async function renderOpenApiTypes(documentText: string): Promise<string> {
  const document = JSON.parse(documentText) as OpenAPI3;
  const ast = await openapiTS(partnerDocument(document), { silent: true });
  const source = HEADER + '\n' + astToString(ast);
  const options = await prettier.resolveConfig(TYPES_FILE);
  return prettier.format(source, { ...options, filepath: TYPES_FILE });
}

/** Renders the types from the committed OpenAPI document. */
export async function renderCommittedOpenApiTypes(): Promise<string> {
  return renderOpenApiTypes(await fs.readFile(OPENAPI_FILE, 'utf8'));
}
