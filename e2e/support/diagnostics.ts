// On a failed journey: a screenshot of every open page and the server's output, so a CI log
// says what the browser saw.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { browserLog } from './people.js';
import { REPO_ROOT } from './server.js';

export const RESULTS_DIR = path.join(REPO_ROOT, '.test-results');

export async function withDiagnostics(
  name: string,
  pages: Record<string, Page>,
  serverOutput: () => string,
  journey: () => Promise<void>,
): Promise<void> {
  try {
    await journey();
  } catch (error) {
    await mkdir(RESULTS_DIR, { recursive: true });
    const shots: string[] = [];
    for (const [who, page] of Object.entries(pages)) {
      const file = path.join(RESULTS_DIR, `e2e-failure-${name}-${who}.png`);
      try {
        await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
        shots.push(`${who}: ${file} (at ${page.url()})`);
      } catch {
        // The page may be gone; the error below still says what happened.
      }
      const log = browserLog(page);
      if (log.length > 0) shots.push(`${who}'s browser said:\n    ${log.join('\n    ')}`);
    }
    const output = serverOutput().trim();
    console.error(
      `[parley] e2e "${name}" failed. Pages:\n  ${shots.join('\n  ') || '(none)'}\n` +
        `Server output:\n${output || '(nothing)'}`,
    );
    throw error;
  }
}
