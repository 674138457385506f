import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { actorOf } from '../../core/http/auth.ts';
import { TooManyRequestsError } from '../../core/http/errors.ts';
import { emptyForm, parseForm } from '../../core/http/forms.ts';
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
import {
  forgotPasswordSchema,
  requestPasswordReset,
  resetLinkOwner,
  resetPassword,
  resetPasswordSchema,
} from './password-reset.ts';

// The pages behind the links in account emails, and the form that asks for a reset link.
// They work signed out (a link may be opened on another device): the token is the proof.

type TokenParams = { Params: { token: string } };

const limited = (max: number) => ({ config: { rateLimit: { max, timeWindow: '1 hour' } } });

/** The links carry their secret in the path: keep it out of Referer headers. */
function noReferrer(reply: FastifyReply): void {
  reply.header('referrer-policy', 'no-referrer');
}

export function registerEmailLinkRoutes(app: FastifyInstance, db: Db): void {
  // --- Password reset ------------------------------------------------------------------------

  app.get('/password/forgot', async (request, reply) =>
    sendHtml(reply, ForgotPasswordPage({ ctx: pageContext(request, reply), form: emptyForm })),
  );

  app.get('/password/forgot/sent', async (request, reply) =>
    sendHtml(reply, ResetLinkSentPage({ ctx: pageContext(request, reply) })),
  );

  // Per address (one client, many accounts) and per email (many clients, one mailbox). The
  // per-email limit counts requests for an address, so it answers alike for every address.
  const perIp = app.rateLimit({ max: 10, timeWindow: '1 hour', keyGenerator: (req) => `forgot-ip:${req.ip}` });
  const perEmailLimit = app.createRateLimit({
    max: 3,
    timeWindow: '1 hour',
    keyGenerator: (req) => {
      const email = (req.body as { email?: unknown } | undefined)?.email;
      // A form without an address is limited per client, not in one bucket shared by everyone.
      return typeof email === 'string' && email.trim()
        ? `forgot-email:${email.trim().toLowerCase()}`
        : `forgot-email-missing:${req.ip}`;
    },
  });
  const perEmail = async (request: FastifyRequest) => {
    const r = await perEmailLimit(request);
    if (!r.isAllowed && r.isExceeded) {
      throw new TooManyRequestsError(
        `Too many reset requests for this address. Please wait ${Math.ceil(r.ttlInSeconds / 60)} minutes and try again.`,
      );
    }
  };

  app.post('/password/forgot', { preHandler: [perIp, perEmail] }, async (request, reply) => {
    const parsed = parseForm(forgotPasswordSchema, request.body);
    if (!parsed.ok)
      return sendHtml(reply, ForgotPasswordPage({ ctx: pageContext(request, reply), form: parsed.form }), 422);
    await requestPasswordReset(db, actorOf(request), parsed.data.email);
    return reply.redirect('/password/forgot/sent', 303);
  });

  const deadResetLink = (request: FastifyRequest, reply: FastifyReply) =>
    sendHtml(
      reply,
      DeadLinkPage({
        ctx: pageContext(request, reply),
        title: 'This link no longer works',
        message:
          'Password reset links work once, for one hour. This one has expired, was already used, or is not a link we sent.',
        action: { href: '/password/forgot', label: 'Send me a new link' },
      }),
      410,
    );

  app.get<TokenParams>('/password/reset/:token', async (request, reply) => {
    noReferrer(reply);
    const owner = await resetLinkOwner(db, request.params.token);
    if (!owner) return deadResetLink(request, reply);
    return sendHtml(
      reply,
      ResetPasswordPage({
        ctx: pageContext(request, reply),
        form: emptyForm,
        token: request.params.token,
        email: owner.email,
      }),
    );
  });

  app.post<TokenParams>('/password/reset/:token', limited(20), async (request, reply) => {
    noReferrer(reply);
    const { token } = request.params;
    const parsed = parseForm(resetPasswordSchema, request.body);
    if (!parsed.ok) {
      const owner = await resetLinkOwner(db, token);
      if (!owner) return deadResetLink(request, reply);
      return sendHtml(
        reply,
        ResetPasswordPage({ ctx: pageContext(request, reply), form: parsed.form, token, email: owner.email }),
        422,
      );
    }
    // The account's sessions are gone on the server; a cookie of another account in this browser stays.
    if (!(await resetPassword(db, actorOf(request), token, parsed.data.password))) return deadResetLink(request, reply);
    flash(
      reply,
      'success',
      'Your password was changed and every device was signed out. Sign in with your new password.',
    );
    return reply.redirect('/login', 303);
  });

  // --- Email change links --------------------------------------------------------------------

  const deadEmailLink = (request: FastifyRequest, reply: FastifyReply) =>
    sendHtml(
      reply,
      DeadLinkPage({
        ctx: pageContext(request, reply),
        title: 'This link no longer works',
        message:
          'This email change link has expired, was already used, or was replaced by a newer request. Your email address has not changed.',
        action: { href: '/account', label: 'Go to account settings' },
      }),
      410,
    );

  app.get<TokenParams>('/account/email/confirm/:token', async (request, reply) => {
    noReferrer(reply);
    const link = await emailChangeLink(db, request.params.token);
    if (!link?.new_email) return deadEmailLink(request, reply);
    return sendHtml(
      reply,
      ConfirmEmailPage({ ctx: pageContext(request, reply), token: request.params.token, newEmail: link.new_email }),
    );
  });

  app.post<TokenParams>('/account/email/confirm/:token', limited(20), async (request, reply) => {
    noReferrer(reply);
    const done = await confirmEmailChange(db, actorOf(request), request.params.token);
    if (!done) return deadEmailLink(request, reply);
    flash(reply, 'success', `Your email address is now ${done.newEmail}.`);
    return reply.redirect('/account', 303);
  });

  app.get<TokenParams>('/account/email/report/:token', async (request, reply) => {
    noReferrer(reply);
    const link = await emailReportLink(db, request.params.token);
    if (!link?.new_email) {
      return sendHtml(
        reply,
        DeadLinkPage({
          ctx: pageContext(request, reply),
          title: 'This link no longer works',
          message:
            'This link was already used or has expired. If you think someone else is using your account, reset your password now.',
          action: { href: '/password/forgot', label: 'Reset my password' },
        }),
        410,
      );
    }
    return sendHtml(
      reply,
      ReportEmailPage({ ctx: pageContext(request, reply), token: request.params.token, newEmail: link.new_email }),
    );
  });

  app.post<TokenParams>('/account/email/report/:token', limited(20), async (request, reply) => {
    noReferrer(reply);
    const done = await reportEmailChange(db, actorOf(request), request.params.token);
    if (!done) return deadEmailLink(request, reply);
    flash(
      reply,
      done.alreadyChanged ? 'error' : 'success',
      done.alreadyChanged
        ? 'The change had already been confirmed. We signed out every device; contact your administrator to get your account back.'
        : 'We cancelled the email change and signed out every device. Now choose a new password: someone may know the current one.',
    );
    return reply.redirect('/password/forgot', 303);
  });
}
