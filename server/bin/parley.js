#!/usr/bin/env node
// Runs the built CLI, or the TypeScript source through tsx in a checkout that was not built.
import fs from 'node:fs';

const built = new URL('../dist/cli.js', import.meta.url);
let cli;
if (fs.existsSync(built)) {
  cli = await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../src/cli.ts', import.meta.url).href);
}
const code = await cli.run(process.argv.slice(2));
if (code >= 0) process.exit(code);
