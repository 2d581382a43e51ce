// Every error the SDK raises is a ParleyError (a failing network stays fetch's TypeError). API
// errors are typed by the problem+json `type` (RFC 9457 §3.1.1), a stable URN the server derives
// from its error catalogue; apps branch on the class or on `code`, never on `title` or `detail`.
import type { Problem } from './types.js';

/** The base class of every error this SDK throws. */
export class ParleyError extends Error {
  override name = 'ParleyError';
}

/** The partner API answered with an error (RFC 9457 problem details). */
export class ParleyApiError extends ParleyError {
  override name = 'ParleyApiError';
  /** The HTTP status. */
  readonly status: number;
  /** The problem type URN, e.g. `urn:parley:problem:thread_not_found`; `about:blank` when the body was no problem. */
  readonly type: string;
  /** Parley's stable snake_case error code (the end of `type`), e.g. `thread_not_found`. */
  readonly code: string;
  /** A short, human summary of the problem type. */
  readonly title: string;
  /** A human explanation of this occurrence. */
  readonly detail?: string;
  /** The whole problem body as received (or the text of a body that was not problem+json). */
  readonly problem: unknown;

  constructor(init: {
    status: number;
    type: string;
    code: string;
    title: string;
    detail?: string;
    problem: unknown;
  }) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title);
    this.status = init.status;
    this.type = init.type;
    this.code = init.code;
    this.title = init.title;
    if (init.detail !== undefined) this.detail = init.detail;
    this.problem = init.problem;
  }
}

/**
 * The access token was refused (401): it expired, was revoked, or the person's grant ended
 * (revoked in Apps & access, or unused too long). Refresh it if you can; otherwise offer
 * "Connect again".
 */
export class ParleyAuthError extends ParleyApiError {
  override name = 'ParleyAuthError';
}

/** Too many requests (429), and waiting was not allowed or did not help. */
export class ParleyRateLimitError extends ParleyApiError {
  override name = 'ParleyRateLimitError';
  /** How long the server asked to wait before trying again (the Retry-After header; 1 when it gave none). */
  readonly retryAfterSeconds: number;

  constructor(init: ConstructorParameters<typeof ParleyApiError>[0] & { retryAfterSeconds: number }) {
    super(init);
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/**
 * The authorization server refused (RFC 6749 §4.1.2.1, §5.2), e.g. `access_denied` when the
 * person pressed Cancel, or `invalid_grant` for a used, expired or revoked code or refresh token.
 * Also raised when the authorization response fails a check (`error` then names it, e.g.
 * `state_mismatch`).
 */
export class ParleyOAuthError extends ParleyError {
  override name = 'ParleyOAuthError';
  /** The OAuth error code. */
  readonly error: string;
  /** The server's human explanation, when it gave one. */
  readonly errorDescription?: string;

  constructor(error: string, errorDescription?: string, options?: ErrorOptions) {
    super(errorDescription ? `${error}: ${errorDescription}` : error, options);
    this.error = error;
    if (errorDescription !== undefined) this.errorDescription = errorDescription;
  }
}

/** Why a webhook request was refused. */
export type WebhookFailure =
  'malformed_header' | 'timestamp_out_of_tolerance' | 'signature_mismatch' | 'malformed_body';

/** A webhook request is not a genuine, fresh delivery from Parley: answer it with 400 and ignore it. */
export class ParleyWebhookError extends ParleyError {
  override name = 'ParleyWebhookError';
  /** Which check failed. */
  readonly reason: WebhookFailure;

  constructor(reason: WebhookFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Which step of checking a receipt failed. */
export type VerificationStep = 'entry' | 'checkpoint' | 'consistency' | 'inclusion';

/** A receipt could not be verified against the transparency log: `step` names the check that failed. */
export class ParleyVerificationError extends ParleyError {
  override name = 'ParleyVerificationError';
  /** The check that failed. */
  readonly step: VerificationStep;

  constructor(step: VerificationStep, message: string, options?: ErrorOptions) {
    super(message, options);
    this.step = step;
  }
}

const PROBLEM_TYPE_PREFIX = 'urn:parley:problem:';

/** Error classes by problem type; anything else is a plain ParleyApiError. */
const CLASS_BY_CODE: Readonly<Record<string, typeof ParleyApiError>> = {
  invalid_token: ParleyAuthError,
  not_authenticated: ParleyAuthError,
  rate_limited: ParleyRateLimitError,
};

/** The classes for answers that carry no Parley problem (a proxy's error page, say), by status. */
const CLASS_BY_STATUS: Readonly<Record<number, typeof ParleyApiError>> = {
  401: ParleyAuthError,
  429: ParleyRateLimitError,
};

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date. The server sends seconds;
 * a date from a proxy is honoured too. Missing or unreadable: 1 s.
 */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (header === null) return 1;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? 1 : Math.max(0, Math.ceil((date - now) / 1000));
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const { type, title } = body as Record<string, unknown>;
  return typeof type === 'string' && typeof title === 'string';
}

/** The typed error for a failed partner API response (reads the body). */
export async function errorFromResponse(response: Response): Promise<ParleyApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text in `problem`.
  }
  const problem = isProblem(body) ? body : undefined;
  const type = problem?.type ?? 'about:blank';
  const code =
    typeof problem?.code === 'string'
      ? problem.code
      : type.startsWith(PROBLEM_TYPE_PREFIX)
        ? type.slice(PROBLEM_TYPE_PREFIX.length)
        : `http_${response.status}`;
  const init = {
    status: response.status,
    type,
    code,
    title: problem?.title ?? (response.statusText || `HTTP ${response.status}`),
    ...(typeof problem?.detail === 'string' ? { detail: problem.detail } : {}),
    problem: body,
  };
  const ErrorClass = (problem && CLASS_BY_CODE[code]) ?? CLASS_BY_STATUS[response.status] ?? ParleyApiError;
  if (ErrorClass === ParleyRateLimitError) {
    return new ParleyRateLimitError({
      ...init,
      retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')),
    });
  }
  return new ErrorClass(init);
}
