import fs from 'node:fs';
import path from 'node:path';
import { withConfigTable } from '../src/config-docs.js';

const readme = path.resolve(import.meta.dirname, '../../README.md');
fs.writeFileSync(readme, withConfigTable(fs.readFileSync(readme, 'utf8')));
console.log(`updated the configuration table in ${readme}`);
