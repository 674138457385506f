// What the account routes share: rate limits per hour, the example password of route fixtures,
// the current session, and a service's refusal as a form's state.
import type { FastifyRequest } from 'fastify';
import { NotAuthenticatedError } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { formValues, type FormState } from '../../core/http/forms.ts';

/** At most `max` requests an hour per client. */
export const limited = (max: number) => ({ config: { rateLimit: { max, timeWindow: '1 hour' } } });

/** Every person the route fixtures sign up has this password. */
export const EXAMPLE_PASSWORD = 'correct horse battery staple';

export function currentSession(request: FastifyRequest): Buffer {
  if (!request.sessionIdHash) throw new NotAuthenticatedError();
  return request.sessionIdHash;
}

/** A service's ValidationError as the form's state; anything else goes to the error page. */
export function formError(request: FastifyRequest, err: unknown): FormState {
  if (!(err instanceof ValidationError)) throw err;
  return {
    values: formValues(request.body),
    errors: err.fieldErrors,
    message: Object.keys(err.fieldErrors).length ? undefined : err.message,
  };
}
