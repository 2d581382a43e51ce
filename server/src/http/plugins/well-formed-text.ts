// JSON may carry lone UTF-16 surrogates ("\ud800"), which are not text: storing them corrupts
// what other people read. Such bodies are refused before validation.
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './errors.js';

function findIllFormed(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.isWellFormed() ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findIllFormed(value[i], `${path}/${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (!key.isWellFormed()) return path;
      const found = findIllFormed(child, `${path}/${key}`);
      if (found) return found;
    }
  }
  return null;
}

export function registerWellFormedText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    const path = findIllFormed(request.body, 'body');
    if (path) return sendProblem(reply, 'invalid_request', `${path} is not valid Unicode text.`);
  });
}
