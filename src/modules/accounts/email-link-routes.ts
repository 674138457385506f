import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db/pool.ts';
import { emptyForm, type FormState } from '../../core/http/forms.ts';
import { linkToken } from '../../core/http/params.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import {
  ConfirmEmailPage,
  DeadLinkPage,
  ForgotPasswordPage,
  ReportEmailPage,
  ResetLinkSentPage,
  ResetPasswordPage,
} from './account-views.tsx';
import { confirmEmailChange, emailChangeLink, emailReportLink, reportEmailChange } from './email-change.ts';
import { fieldLimit, sharedLimit } from './limits.ts';
import {
  forgotPasswordSchema,
  requestPasswordReset,
  resetLinkOwner,
  resetPassword,
  resetPasswordSchema,
} from './password-reset.ts';

// The pages behind the links in account emails, and the form that asks for a reset link.
// They work signed out (a link may be opened on another device): the token is the proof.

/** A token that is not one we make (null) answers like an expired one. */
const tokenParams = z.object({ token: linkToken });

const limited = (max: number) => ({ config: { rateLimit: { max, timeWindow: '1 hour' } } });

/** The links carry their secret in the path: keep it out of Referer headers. */
function noReferrer(reply: FastifyReply): void {
  reply.header('referrer-policy', 'no-referrer');
}

// Per address (one client, many accounts) and per email (many clients, one mailbox). The
// per-email limit counts requests for an address, so it answers alike for every address.
const forgotPerIp = sharedLimit({ max: 10, timeWindow: '1 hour', keyGenerator: (req) => `forgot-ip:${req.ip}` });
const forgotPerEmail = fieldLimit({
  max: 3,
  timeWindow: '1 hour',
  field: 'email',
  // A form without an address is limited per client, not in one bucket shared by everyone.
  key: (email, req) => (email.trim() ? `forgot-email:${email.trim().toLowerCase()}` : `forgot-email-missing:${req.ip}`),
  message: (minutes) => `Too many reset requests for this address. Please wait ${minutes} minutes and try again.`,
});

function deadLink(
  request: FastifyRequest,
  reply: FastifyReply,
  message: string,
  action: { href: string; label: string },
) {
  return sendHtml(
    reply,
    DeadLinkPage({ ctx: pageContext(request, reply), title: 'This link no longer works', message, action }),
    410,
  );
}

const deadResetLink = (request: FastifyRequest, reply: FastifyReply) =>
  deadLink(
    request,
    reply,
    'Password reset links work once, for one hour. This one has expired, was already used, or is not a link we sent.',
    { href: '/password/forgot', label: 'Send me a new link' },
  );

const deadEmailLink = (request: FastifyRequest, reply: FastifyReply) =>
  deadLink(
    request,
    reply,
    'This email change link has expired, was already used, or was replaced by a newer request. Your email address has not changed.',
    { href: '/account', label: 'Go to account settings' },
  );

const deadReportLink = (request: FastifyRequest, reply: FastifyReply) =>
  deadLink(
    request,
    reply,
    'This link was already used or has expired. If you think someone else is using your account, reset your password now.',
    { href: '/password/forgot', label: 'Reset my password' },
  );

/** The reset form for a live link (422 with the form's messages), else the dead-link page. */
async function resetPage(request: FastifyRequest, reply: FastifyReply, db: Db, form: FormState, status = 200) {
  noReferrer(reply);
  const { token } = tokenParams.parse(request.params);
  const owner = token ? await resetLinkOwner(db, token) : null;
  if (!token || !owner) return deadResetLink(request, reply);
  return sendHtml(
    reply,
    ResetPasswordPage({ ctx: pageContext(request, reply), form, token, email: owner.email }),
    status,
  );
}

export const emailLinkRoutes = [
  // --- Password reset ------------------------------------------------------------------------
  route({
    method: 'GET',
    url: '/password/forgot',
    access: 'public',
    handler: async (request, reply) =>
      sendHtml(reply, ForgotPasswordPage({ ctx: pageContext(request, reply), form: emptyForm })),
  }),
  route({
    method: 'GET',
    url: '/password/forgot/sent',
    access: 'public',
    handler: async (request, reply) => sendHtml(reply, ResetLinkSentPage({ ctx: pageContext(request, reply) })),
  }),
  route({
    method: 'POST',
    url: '/password/forgot',
    access: 'public',
    body: forgotPasswordSchema,
    options: { preHandler: [forgotPerIp, forgotPerEmail] },
    example: { body: { email: 'nobody@example.test' } },
    invalid: (request, reply, _app, form) =>
      sendHtml(reply, ForgotPasswordPage({ ctx: pageContext(request, reply), form }), 422),
    handler: async (request, reply, { db }) => {
      await requestPasswordReset(db, request.actor, request.body.email);
      return reply.redirect('/password/forgot/sent', 303);
    },
  }),
  route({
    method: 'GET',
    url: '/password/reset/:token',
    access: 'public',
    params: tokenParams,
    handler: (request, reply, { db }) => resetPage(request, reply, db, emptyForm),
  }),
  route({
    method: 'POST',
    url: '/password/reset/:token',
    access: 'public',
    params: tokenParams,
    body: resetPasswordSchema,
    options: limited(20),
    example: { body: { password: 'a new long password' } },
    invalid: (request, reply, { db }, form) => resetPage(request, reply, db, form, 422),
    handler: async (request, reply, { db, links }) => {
      noReferrer(reply);
      const { token } = request.params;
      // The account's sessions are gone on the server; a cookie of another account in this browser stays.
      if (!token || !(await resetPassword(db, request.actor, links, token, request.body.password)))
        return deadResetLink(request, reply);
      flash(
        reply,
        'success',
        'Your password was changed and every device was signed out. Sign in with your new password.',
      );
      return reply.redirect('/login', 303);
    },
  }),

  // --- Email change links --------------------------------------------------------------------
  route({
    method: 'GET',
    url: '/account/email/confirm/:token',
    access: 'public',
    params: tokenParams,
    handler: async (request, reply, { db }) => {
      noReferrer(reply);
      const { token } = request.params;
      const link = token ? await emailChangeLink(db, token) : null;
      if (!token || !link?.new_email) return deadEmailLink(request, reply);
      return sendHtml(reply, ConfirmEmailPage({ ctx: pageContext(request, reply), token, newEmail: link.new_email }));
    },
  }),
  route({
    method: 'POST',
    url: '/account/email/confirm/:token',
    access: 'public',
    params: tokenParams,
    options: limited(20),
    example: { body: {} },
    handler: async (request, reply, { db }) => {
      noReferrer(reply);
      const { token } = request.params;
      const done = token ? await confirmEmailChange(db, request.actor, token) : null;
      if (!done) return deadEmailLink(request, reply);
      flash(reply, 'success', `Your email address is now ${done.newEmail}.`);
      return reply.redirect('/account', 303);
    },
  }),
  route({
    method: 'GET',
    url: '/account/email/report/:token',
    access: 'public',
    params: tokenParams,
    handler: async (request, reply, { db }) => {
      noReferrer(reply);
      const { token } = request.params;
      const link = token ? await emailReportLink(db, token) : null;
      if (!token || !link?.new_email) return deadReportLink(request, reply);
      return sendHtml(reply, ReportEmailPage({ ctx: pageContext(request, reply), token, newEmail: link.new_email }));
    },
  }),
  route({
    method: 'POST',
    url: '/account/email/report/:token',
    access: 'public',
    params: tokenParams,
    options: limited(20),
    example: { body: {} },
    handler: async (request, reply, { db, links }) => {
      noReferrer(reply);
      const { token } = request.params;
      const done = token ? await reportEmailChange(db, request.actor, links, token) : null;
      if (!done) return deadEmailLink(request, reply);
      flash(
        reply,
        done.alreadyChanged ? 'error' : 'success',
        done.alreadyChanged
          ? 'The change had already been confirmed. We signed out every device; contact your administrator to get your account back.'
          : 'We cancelled the email change and signed out every device. Now choose a new password: someone may know the current one.',
      );
      return reply.redirect('/password/forgot', 303);
    },
  }),
];
