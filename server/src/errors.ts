// One error catalogue: stable snake_case codes with their status and title. Clients match on
// `code` (or the `type` URN built from it), never on the human text.

export const ERRORS = {
  invalid_request: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The body is not valid JSON' },
  invalid_cursor: { status: 400, title: 'The cursor is not valid' },
  not_authenticated: { status: 401, title: 'You need to log in' },
  invalid_token: { status: 401, title: 'The access token is not valid' },
  invalid_credentials: { status: 401, title: 'Wrong username or password' },
  origin_mismatch: { status: 403, title: 'Cross-origin requests cannot change anything' },
  not_message_author: { status: 403, title: 'Only the author can delete a message' },
  not_friends: { status: 403, title: 'You can only start conversations with friends' },
  insufficient_scope: { status: 403, title: 'The grant does not allow this' },
  route_not_found: { status: 404, title: 'No such route' },
  user_not_found: { status: 404, title: 'No such person' },
  thread_not_found: { status: 404, title: 'No such conversation' },
  message_not_found: { status: 404, title: 'No such message' },
  friend_request_not_found: { status: 404, title: 'No such friend request' },
  friend_not_found: { status: 404, title: 'No such friend' },
  app_not_found: { status: 404, title: 'No such app' },
  recipient_not_found: { status: 404, title: 'No such recipient' },
  entry_not_found: { status: 404, title: 'No such log entry of this app' },
  interaction_not_found: { status: 404, title: 'This sign-in request has expired' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  username_taken: { status: 409, title: 'That username is taken' },
  already_friends: { status: 409, title: 'You are already friends' },
  friend_request_exists: { status: 409, title: 'A friend request is already pending' },
  consent_required: { status: 409, title: 'Consent is needed first' },
  payload_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'Send JSON (application/json)' },
  too_many_attempts: { status: 429, title: 'Too many attempts' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  service_unavailable: { status: 503, title: 'Not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

export const PROBLEM_TYPE_PREFIX = 'urn:parley:problem:';

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    /** Extra response headers, e.g. Retry-After for 429. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(detail ?? ERRORS[code].title);
    this.status = ERRORS[code].status;
  }
}

export interface Problem {
  type: string;
  code: ErrorCode;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/** RFC 9457 problem details for a catalogue code. */
export function problem(
  code: ErrorCode,
  detail?: string,
  errors?: { path: string; message: string }[],
): Problem {
  const entry = ERRORS[code];
  return {
    type: PROBLEM_TYPE_PREFIX + code,
    code,
    title: entry.title,
    status: entry.status,
    ...(detail === undefined ? {} : { detail }),
    ...(errors === undefined ? {} : { errors }),
  };
}
