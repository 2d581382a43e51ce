import fs from 'node:fs';
import { generateOpenApi, OPENAPI_FILE } from '../src/openapi.js';

fs.writeFileSync(OPENAPI_FILE, await generateOpenApi());
console.log(`wrote ${OPENAPI_FILE}`);
