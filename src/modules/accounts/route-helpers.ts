// What the account routes share: rate limits per hour, the example password of route fixtures,
// the current session, a service's refusal as a form's state, sending a page, and the flash
// message and redirect that end a form's POST.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { NotAuthenticatedError } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, type FormState } from '../../core/http/forms.ts';
import { pageContext, type PageContext } from '../../core/views/context.ts';
import { flash, type Flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';

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

/** Sends a page with the request's context: `sendPage(request, reply, LogInPage, { form, next }, 422)`. */
export function sendPage<P extends { ctx: PageContext }>(
  request: FastifyRequest,
  reply: FastifyReply,
  Page: (props: P) => VNode,
  props: Omit<P, 'ctx'>,
  status = 200,
) {
  return sendHtml(reply, Page({ ...props, ctx: pageContext(request, reply) } as P), status);
}

/** Sends a page of one form: empty for its GET, with what went wrong (422) when a POST fails. */
export function formPage(Page: (props: { ctx: PageContext; form: FormState }) => VNode) {
  return (request: FastifyRequest, reply: FastifyReply, form: FormState = emptyForm, status = 200) =>
    sendPage(request, reply, Page, { form }, status);
}

/** Says how it went on the next page, and goes there (303: the browser follows with a GET). */
export function redirectWithFlash(reply: FastifyReply, to: string, kind: Flash['kind'], text: string) {
  flash(reply, kind, text);
  return reply.redirect(to, 303);
}
