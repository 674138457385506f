import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, NotAuthenticatedError, requireViewer } from '../../core/http/auth.ts';
import { TooManyRequestsError, ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, parseForm, type FormState } from '../../core/http/forms.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import {
  accountOverview,
  changePassword,
  deactivateAccount,
  deleteAccountSchema,
  orgsBlockingDeletion,
  passwordChangeSchema,
  profileSchema,
  revokeOtherSessions,
  revokeSession,
  sessionsOf,
  timeZoneList,
  updateProfile,
} from './account-settings.ts';
import {
  AccountPage,
  ChangePasswordPage,
  ConfirmEmailPage,
  DeadLinkPage,
  DeleteAccountPage,
  ForgotPasswordPage,
  ReportEmailPage,
  ResetLinkSentPage,
  ResetPasswordPage,
  SessionsPage,
} from './account-views.tsx';
import { confirmEmailChange, emailChangeLink, emailChangeSchema, emailReportLink, reportEmailChange, requestEmailChange } from './email-change.ts';
import { forgotPasswordSchema, requestPasswordReset, resetLinkOwner, resetPassword, resetPasswordSchema } from './password-reset.ts';
import type { SessionSettings } from './service.ts';
import { clearSessionCookie, sessionMeta } from './sessions.ts';

type TokenParams = { Params: { token: string } };

const limited = (max: number) => ({ config: { rateLimit: { max, timeWindow: '1 hour' } } });

/** The links in account emails carry their secret in the path: keep it out of Referer headers. */
function noReferrer(reply: FastifyReply): void {
  reply.header('referrer-policy', 'no-referrer');
}

function metaActor(request: FastifyRequest) {
  const meta = sessionMeta(request);
  return { userId: request.viewer?.id ?? null, requestId: meta.requestId, ip: meta.ip };
}

function signedInActor(request: FastifyRequest) {
  return { ...actorOf(request), userId: requireViewer(request).id };
}

function currentSession(request: FastifyRequest): Buffer {
  if (!request.sessionIdHash) throw new NotAuthenticatedError();
  return request.sessionIdHash;
}

function formError(request: FastifyRequest, err: unknown): FormState {
  if (!(err instanceof ValidationError)) throw err;
  return { values: formValues(request.body), errors: err.fieldErrors, message: Object.keys(err.fieldErrors).length ? undefined : err.message };
}

export function registerAccountSettingsRoutes(app: FastifyInstance, db: Db, settings: SessionSettings): void {
  // --- Password reset (signed out) ---------------------------------------------------------

  app.get('/password/forgot', async (request, reply) => sendHtml(reply, ForgotPasswordPage({ ctx: pageContext(request, reply), form: emptyForm })));

  app.get('/password/forgot/sent', async (request, reply) => sendHtml(reply, ResetLinkSentPage({ ctx: pageContext(request, reply) })));

  // Per address (one client, many accounts) and per email (many clients, one mailbox). The
  // per-email limit counts requests for an address, so it answers alike for every address.
  const perIp = app.rateLimit({ max: 10, timeWindow: '1 hour', keyGenerator: (req) => `forgot-ip:${req.ip}` });
  const perEmailLimit = app.createRateLimit({
    max: 3,
    timeWindow: '1 hour',
    keyGenerator: (req) => {
      const email = (req.body as { email?: unknown } | undefined)?.email;
      // A form without an address is limited per client, not in one bucket shared by everyone.
      return typeof email === 'string' && email.trim() ? `forgot-email:${email.trim().toLowerCase()}` : `forgot-email-missing:${req.ip}`;
    },
  });
  const perEmail = async (request: FastifyRequest) => {
    const r = await perEmailLimit(request);
    if (!r.isAllowed && r.isExceeded) {
      throw new TooManyRequestsError(`Too many reset requests for this address. Please wait ${Math.ceil(r.ttlInSeconds / 60)} minutes and try again.`);
    }
  };

  app.post('/password/forgot', { preHandler: [perIp, perEmail] }, async (request, reply) => {
    const parsed = parseForm(forgotPasswordSchema, request.body);
    if (!parsed.ok) return sendHtml(reply, ForgotPasswordPage({ ctx: pageContext(request, reply), form: parsed.form }), 422);
    await requestPasswordReset(db, metaActor(request), parsed.data.email);
    return reply.redirect('/password/forgot/sent', 303);
  });

  const deadResetLink = (request: FastifyRequest, reply: FastifyReply) =>
    sendHtml(
      reply,
      DeadLinkPage({
        ctx: pageContext(request, reply),
        title: 'This link no longer works',
        message: 'Password reset links work once, for one hour. This one has expired, was already used, or is not a link we sent.',
        action: { href: '/password/forgot', label: 'Send me a new link' },
      }),
      410,
    );

  app.get<TokenParams>('/password/reset/:token', async (request, reply) => {
    noReferrer(reply);
    const owner = await resetLinkOwner(db, request.params.token);
    if (!owner) return deadResetLink(request, reply);
    return sendHtml(reply, ResetPasswordPage({ ctx: pageContext(request, reply), form: emptyForm, token: request.params.token, email: owner.email }));
  });

  app.post<TokenParams>('/password/reset/:token', limited(20), async (request, reply) => {
    noReferrer(reply);
    const { token } = request.params;
    const parsed = parseForm(resetPasswordSchema, request.body);
    if (!parsed.ok) {
      const owner = await resetLinkOwner(db, token);
      if (!owner) return deadResetLink(request, reply);
      return sendHtml(reply, ResetPasswordPage({ ctx: pageContext(request, reply), form: parsed.form, token, email: owner.email }), 422);
    }
    // The account's sessions are gone on the server; a cookie of another account in this browser stays.
    if (!(await resetPassword(db, metaActor(request), token, parsed.data.password))) return deadResetLink(request, reply);
    flash(reply, 'success', 'Your password was changed and every device was signed out. Sign in with your new password.');
    return reply.redirect('/login', 303);
  });

  // --- Email change links (may be opened signed out, on another device) --------------------

  const deadEmailLink = (request: FastifyRequest, reply: FastifyReply) =>
    sendHtml(
      reply,
      DeadLinkPage({
        ctx: pageContext(request, reply),
        title: 'This link no longer works',
        message: 'This email change link has expired, was already used, or was replaced by a newer request. Your email address has not changed.',
        action: { href: '/account', label: 'Go to account settings' },
      }),
      410,
    );

  app.get<TokenParams>('/account/email/confirm/:token', async (request, reply) => {
    noReferrer(reply);
    const link = await emailChangeLink(db, request.params.token);
    if (!link?.new_email) return deadEmailLink(request, reply);
    return sendHtml(reply, ConfirmEmailPage({ ctx: pageContext(request, reply), token: request.params.token, newEmail: link.new_email }));
  });

  app.post<TokenParams>('/account/email/confirm/:token', limited(20), async (request, reply) => {
    noReferrer(reply);
    const done = await confirmEmailChange(db, metaActor(request), request.params.token);
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
          message: 'This link was already used or has expired. If you think someone else is using your account, reset your password now.',
          action: { href: '/password/forgot', label: 'Reset my password' },
        }),
        410,
      );
    }
    return sendHtml(reply, ReportEmailPage({ ctx: pageContext(request, reply), token: request.params.token, newEmail: link.new_email }));
  });

  app.post<TokenParams>('/account/email/report/:token', limited(20), async (request, reply) => {
    noReferrer(reply);
    const done = await reportEmailChange(db, metaActor(request), request.params.token);
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

  // --- The account pages (signed in) -------------------------------------------------------

  const showAccount = async (request: FastifyRequest, reply: FastifyReply, forms: { profile?: FormState; email?: FormState } = {}, status = 200) => {
    const viewer = requireViewer(request);
    const overview = await accountOverview(db, viewer.id);
    return sendHtml(
      reply,
      AccountPage({
        ctx: pageContext(request, reply),
        overview,
        profileForm: forms.profile ?? { values: { name: overview.name, time_zone: overview.timeZone }, errors: {} },
        emailForm: forms.email ?? emptyForm,
        zones: timeZoneList(),
      }),
      status,
    );
  };

  app.get('/account', async (request, reply) => showAccount(request, reply));

  app.post('/account/profile', limited(60), async (request, reply) => {
    const actor = signedInActor(request);
    const parsed = parseForm(profileSchema, request.body);
    if (!parsed.ok) return showAccount(request, reply, { profile: parsed.form }, 422);
    await updateProfile(db, actor, parsed.data);
    flash(reply, 'success', 'Your profile was saved.');
    return reply.redirect('/account', 303);
  });

  app.post('/account/email', limited(10), async (request, reply) => {
    const actor = signedInActor(request);
    const parsed = parseForm(emailChangeSchema, request.body);
    if (!parsed.ok) return showAccount(request, reply, { email: parsed.form }, 422);
    try {
      await requestEmailChange(db, actor, parsed.data);
    } catch (err) {
      return showAccount(request, reply, { email: formError(request, err) }, 422);
    }
    flash(reply, 'success', `We sent a confirmation link to ${parsed.data.new_email}. Your address changes when you open it.`);
    return reply.redirect('/account', 303);
  });

  app.get('/account/password', async (request, reply) => {
    requireViewer(request);
    return sendHtml(reply, ChangePasswordPage({ ctx: pageContext(request, reply), form: emptyForm }));
  });

  app.post('/account/password', limited(10), async (request, reply) => {
    const actor = signedInActor(request);
    const parsed = parseForm(passwordChangeSchema, request.body);
    if (!parsed.ok) return sendHtml(reply, ChangePasswordPage({ ctx: pageContext(request, reply), form: parsed.form }), 422);
    try {
      await changePassword(db, actor, currentSession(request), parsed.data);
    } catch (err) {
      return sendHtml(reply, ChangePasswordPage({ ctx: pageContext(request, reply), form: formError(request, err) }), 422);
    }
    flash(reply, 'success', 'Your password was changed. Every other device was signed out.');
    return reply.redirect('/account', 303);
  });

  app.get('/account/sessions', async (request, reply) => {
    const viewer = requireViewer(request);
    const sessions = await sessionsOf(db, viewer.id, request.sessionIdHash, settings.idleMinutes);
    return sendHtml(reply, SessionsPage({ ctx: pageContext(request, reply), sessions }));
  });

  app.post<{ Params: { id: string } }>('/account/sessions/:id/revoke', async (request, reply) => {
    const { wasCurrent } = await revokeSession(db, signedInActor(request), request.sessionIdHash, request.params.id);
    if (wasCurrent) {
      clearSessionCookie(reply);
      flash(reply, 'info', 'You have been signed out.');
      return reply.redirect('/login', 303);
    }
    flash(reply, 'success', 'That session was signed out.');
    return reply.redirect('/account/sessions', 303);
  });

  app.post('/account/sessions/others/revoke', async (request, reply) => {
    const ended = await revokeOtherSessions(db, signedInActor(request), currentSession(request));
    flash(reply, 'success', ended === 1 ? 'One other session was signed out.' : `${ended} other sessions were signed out.`);
    return reply.redirect('/account/sessions', 303);
  });

  app.get('/account/delete', async (request, reply) => {
    const viewer = requireViewer(request);
    const blocking = await orgsBlockingDeletion(db, viewer.id);
    return sendHtml(reply, DeleteAccountPage({ ctx: pageContext(request, reply), form: emptyForm, blocking }));
  });

  app.post('/account/delete', limited(10), async (request, reply) => {
    const actor = signedInActor(request);
    const parsed = parseForm(deleteAccountSchema, request.body);
    const page = (form: FormState, blocking: string[]) => sendHtml(reply, DeleteAccountPage({ ctx: pageContext(request, reply), form, blocking }), 422);
    if (!parsed.ok) return page(parsed.form, await orgsBlockingDeletion(db, actor.userId));
    try {
      await deactivateAccount(db, actor, parsed.data);
    } catch (err) {
      // The refusal names the orgs itself, so the notice is not repeated.
      return page(formError(request, err), []);
    }
    clearSessionCookie(reply);
    flash(reply, 'info', 'Your account was deleted and you were signed out everywhere.');
    return reply.redirect('/', 303);
  });
}
