import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../../core/db/pool.ts';
import { emptyForm, type FormState } from '../../../core/http/forms.ts';
import { route } from '../../../core/http/routes.ts';
import { deadLink, noReferrer, tokenParams } from '../email-links.tsx';
import { fieldLimit, sharedLimit } from '../limits.ts';
import { formPage, limited, redirectWithFlash, sendPage } from '../route-helpers.ts';
import {
  forgotPasswordSchema,
  requestPasswordReset,
  resetLinkOwner,
  resetPassword,
  resetPasswordSchema,
} from './password-reset.ts';
import { ForgotPasswordPage, ResetLinkSentPage, ResetPasswordPage } from './views.tsx';

// Password reset: the form that asks for a link, and the page behind the link. They work signed
// out (a link may be opened on another device): the token is the proof.

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

const deadResetLink = deadLink(
  'Password reset links work once, for one hour. This one has expired, was already used, or is not a link we sent.',
  { href: '/password/forgot', label: 'Send me a new link' },
);

/** The reset form for a live link (422 with the form's messages), else the dead-link page. */
async function resetPage(request: FastifyRequest, reply: FastifyReply, db: Db, form: FormState, status = 200) {
  noReferrer(reply);
  const { token } = tokenParams.parse(request.params);
  const owner = token ? await resetLinkOwner(db, token) : null;
  if (!token || !owner) return deadResetLink(request, reply);
  return sendPage(request, reply, ResetPasswordPage, { form, token, email: owner.email }, status);
}

const forgotPage = formPage(ForgotPasswordPage);

export const passwordResetRoutes = [
  route({
    method: 'GET',
    url: '/password/forgot',
    access: 'public',
    handler: async (request, reply) => forgotPage(request, reply),
  }),
  route({
    method: 'GET',
    url: '/password/forgot/sent',
    access: 'public',
    handler: async (request, reply) => sendPage(request, reply, ResetLinkSentPage, {}),
  }),
  route({
    method: 'POST',
    url: '/password/forgot',
    access: 'public',
    body: forgotPasswordSchema,
    options: { preHandler: [forgotPerIp, forgotPerEmail] },
    example: { body: { email: 'nobody@example.test' } },
    invalid: (request, reply, _app, form) => forgotPage(request, reply, form, 422),
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
      return redirectWithFlash(
        reply,
        '/login',
        'success',
        'Your password was changed and every device was signed out. Sign in with your new password.',
      );
    },
  }),
];
