// The library must run in browsers as well as Node: its files may import nothing but each other,
// and must type-check for a browser without @types/node (so no Buffer, no process, no node:
// modules) and for Node without the DOM library. The tests themselves may use Node.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const srcDir = path.dirname(fileURLToPath(import.meta.url));
const libraryFiles = readdirSync(srcDir)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
  .map((name) => path.join(srcDir, name));

describe('browser portability', () => {
  it('imports only its own modules', () => {
    expect(libraryFiles.length).toBeGreaterThan(5);
    for (const file of libraryFiles) {
      const specifiers = [
        ...readFileSync(file, 'utf8').matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'/g),
      ].map((match) => match[1] ?? match[2]);
      for (const specifier of specifiers) expect(specifier, path.basename(file)).toMatch(/^\.\/[a-z-]+\.js$/);
    }
  });

  // The library is compiled from source by its users, so it must type-check under each of their
  // settings, not only under tlog/tsconfig.json (which has both the DOM and Node types).
  const environments = {
    // web/tsconfig.json: a browser, ES2023 + DOM, bundler resolution, no Node types.
    browser: {
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      types: [],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
    },
    // server/tsconfig.json: Node, ES2024 + @types/node, no DOM.
    node: {
      lib: ['lib.es2024.d.ts'],
      types: ['node'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
    },
  } satisfies Record<string, ts.CompilerOptions>;

  it.each(Object.entries(environments))(
    'type-checks for %s',
    (name, options) => {
      const program = ts.createProgram(libraryFiles, {
        ...options,
        target: ts.ScriptTarget.ES2022,
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        noEmit: true,
        skipLibCheck: true,
      });
      const messages = ts
        .getPreEmitDiagnostics(program)
        .map(
          (d) =>
            `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
        );
      expect(messages).toEqual([]);
      const hasNodeTypes = program.getSourceFiles().some((f) => f.fileName.includes('@types/node'));
      expect(hasNodeTypes).toBe(name === 'node');
    },
    30_000,
  );
});
