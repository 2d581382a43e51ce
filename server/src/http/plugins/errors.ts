// Every error leaves as RFC 9457 problem+json with a stable code; nothing a client sends can
// produce a 5xx. Unknown errors are logged with the request id and answered generically.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { AppError, problem, type ErrorCode } from '../../errors.js';

export function sendProblem(
  reply: FastifyReply,
  code: ErrorCode,
  detail?: string,
  errors?: { path: string; message: string }[],
) {
  const body = problem(code, detail, errors);
  return reply.code(body.status).type('application/problem+json').send(body);
}

/** Fastify's own client-error codes, mapped to ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_BAD_URL: 'route_not_found',
  FST_ERR_ASYNC_CONSTRAINT: 'invalid_request',
};

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) void reply.headers(error.headers);
      return sendProblem(reply, error.code, error.detail);
    }
    if (error.validation) {
      const errors = error.validation.map((v) => ({
        path: `${error.validationContext ?? ''}${v.instancePath}` || (error.validationContext ?? ''),
        message: v.message ?? 'is not valid',
      }));
      const detail = errors.map((e) => `${e.path || 'request'} ${e.message}`).join('; ');
      return sendProblem(reply, 'invalid_request', detail, errors);
    }
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return sendProblem(reply, mapped, error.message);
    if (error instanceof SyntaxError) return sendProblem(reply, 'malformed_json', error.message);
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ err: error }, 'client error');
      return sendProblem(reply, 'invalid_request', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, 'internal_error');
  });
}
