import { AppError } from '../errors.js';
import { authorize, type Action, type Actor, type DenyReason, type Resource } from '../policy/authorize.js';

/**
 * Asks the one decision function and turns a refusal into the error the caller may see.
 * Most refusals become the same 404 as a missing resource, so nobody learns what exists.
 */
export function must(
  actor: Actor,
  action: Action,
  resource: Resource,
  // A function, so the error (and its stack trace) is made only when access is refused: building
  // one on every allowed request was a measurable part of a partner request's CPU.
  refusal: (reason: DenyReason) => AppError,
): void {
  const decision = authorize(actor, action, resource);
  if (!decision.allow) throw refusal(decision.reason);
}

/** A partner's token lacks the scope for this (RFC 6750 §3.1 insufficient_scope). */
export function insufficientScope(what: string): AppError {
  return new AppError('insufficient_scope', `This grant does not allow ${what}.`, {
    'www-authenticate': 'Bearer error="insufficient_scope"',
  });
}
