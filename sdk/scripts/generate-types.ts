// `npm run sdk:types`: writes sdk/src/generated/openapi.ts from docs/openapi.json.
import fs from 'node:fs/promises';
import path from 'node:path';
import { renderCommittedOpenApiTypes, TYPES_FILE } from './openapi-types.js';

await fs.writeFile(TYPES_FILE, await renderCommittedOpenApiTypes());
console.log(`wrote ${path.relative(process.cwd(), TYPES_FILE)}`);
