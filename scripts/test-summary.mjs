#!/usr/bin/env node
// Prints the totals of the last `npm test` from Vitest's JSON report (.test-results/vitest.json,
// written by the `json` reporter in vitest.config.ts). The last line is always the totals,
// `N passed, N failed, N skipped`, or `0 passed, 1 failed` when the report is missing or
// unreadable; the exit code is 1 then and whenever a test failed.
//
// A test file that fails before any of its tests run (an import or syntax error) has no failed
// test in `numFailedTests`; each such file counts as one failure here so the totals never say
// "0 failed" about a broken run.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reportPath = path.resolve(root, process.argv[2] ?? '.test-results/vitest.json');

function count(value) {
  return Number.isInteger(value) && value >= 0 ? value : 0;
}

let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
  if (typeof report !== 'object' || report === null) throw new Error('not a JSON object');
} catch (error) {
  const reason = error?.code === 'ENOENT' ? 'missing' : `unreadable (${error?.message ?? error})`;
  console.log(`Vitest JSON report ${path.relative(root, reportPath)} is ${reason}: did the test run start?`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const passed = count(report.numPassedTests);
const skipped = count(report.numPendingTests) + count(report.numTodoTests);
let failed = count(report.numFailedTests);

const files = Array.isArray(report.testResults) ? report.testResults : [];
for (const file of files) {
  const assertions = Array.isArray(file?.assertionResults) ? file.assertionResults : [];
  if (file?.status === 'failed' && !assertions.some((a) => a?.status === 'failed')) {
    const name = typeof file.name === 'string' ? path.relative(root, file.name) : '(unknown file)';
    const message =
      typeof file.message === 'string' && file.message
        ? `: ${file.message.split('\n')[0]}`
        : ' (a beforeAll/afterAll hook failed, so Vitest counts its tests as skipped: see the log above)';
    console.log(`Failed outside any test: ${name}${message}`);
    failed += 1;
  }
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
