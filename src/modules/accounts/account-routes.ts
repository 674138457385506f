import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, NotAuthenticatedError, requireViewer } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
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
  securityActivity,
} from './account-settings.ts';
import {
  AccountPage,
  ChangePasswordPage,
  DeleteAccountPage,
  NotificationsPage,
  SessionsPage,
} from './account-views.tsx';
import { notificationPreferences, preferencesSchema, setNotificationPreferences } from '../notifications/service.ts';
import { emailChangeSchema, requestEmailChange } from './email-change.ts';
import type { SessionSettings } from './service.ts';
import { clearSessionCookie } from './sessions.ts';

// The signed-in person's own account: /account and the pages it links to.

const limited = (max: number) => ({ config: { rateLimit: { max, timeWindow: '1 hour' } } });

function signedInActor(request: FastifyRequest) {
  return { ...actorOf(request), userId: requireViewer(request).id };
}

function currentSession(request: FastifyRequest): Buffer {
  if (!request.sessionIdHash) throw new NotAuthenticatedError();
  return request.sessionIdHash;
}

/** A service's ValidationError as the form's state; anything else goes to the error page. */
function formError(request: FastifyRequest, err: unknown): FormState {
  if (!(err instanceof ValidationError)) throw err;
  return {
    values: formValues(request.body),
    errors: err.fieldErrors,
    message: Object.keys(err.fieldErrors).length ? undefined : err.message,
  };
}

export function registerAccountSettingsRoutes(app: FastifyInstance, db: Db, settings: SessionSettings): void {
  const showAccount = async (
    request: FastifyRequest,
    reply: FastifyReply,
    forms: { profile?: FormState; email?: FormState } = {},
    status = 200,
  ) => {
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
    flash(
      reply,
      'success',
      `We sent a confirmation link to ${parsed.data.new_email}. Your address changes when you open it.`,
    );
    return reply.redirect('/account', 303);
  });

  app.get('/account/password', async (request, reply) => {
    requireViewer(request);
    return sendHtml(reply, ChangePasswordPage({ ctx: pageContext(request, reply), form: emptyForm }));
  });

  app.post('/account/password', limited(10), async (request, reply) => {
    const actor = signedInActor(request);
    const parsed = parseForm(passwordChangeSchema, request.body);
    if (!parsed.ok)
      return sendHtml(reply, ChangePasswordPage({ ctx: pageContext(request, reply), form: parsed.form }), 422);
    try {
      await changePassword(db, actor, currentSession(request), parsed.data);
    } catch (err) {
      return sendHtml(
        reply,
        ChangePasswordPage({ ctx: pageContext(request, reply), form: formError(request, err) }),
        422,
      );
    }
    flash(reply, 'success', 'Your password was changed. Every other device was signed out.');
    return reply.redirect('/account', 303);
  });

  app.get('/account/notifications', async (request, reply) => {
    const viewer = requireViewer(request);
    const prefs = await notificationPreferences(db, viewer.id);
    return sendHtml(
      reply,
      NotificationsPage({ ctx: pageContext(request, reply), form: { values: prefs, errors: {} } }),
    );
  });

  app.post('/account/notifications', limited(60), async (request, reply) => {
    const actor = signedInActor(request);
    const parsed = parseForm(preferencesSchema, request.body);
    if (!parsed.ok)
      return sendHtml(reply, NotificationsPage({ ctx: pageContext(request, reply), form: parsed.form }), 422);
    const { changed } = await setNotificationPreferences(db, actor, parsed.data);
    flash(
      reply,
      changed.length ? 'success' : 'info',
      changed.length ? 'Your notification choices were saved.' : 'Nothing changed.',
    );
    return reply.redirect('/account/notifications', 303);
  });

  app.get('/account/sessions', async (request, reply) => {
    const viewer = requireViewer(request);
    const sessions = await sessionsOf(db, viewer.id, request.sessionIdHash, settings.idleMinutes);
    const events = await securityActivity(db, viewer.id);
    return sendHtml(reply, SessionsPage({ ctx: pageContext(request, reply), sessions, events }));
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
    flash(
      reply,
      'success',
      ended === 1 ? 'One other session was signed out.' : `${ended} other sessions were signed out.`,
    );
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
    const page = (form: FormState, blocking: string[]) =>
      sendHtml(reply, DeleteAccountPage({ ctx: pageContext(request, reply), form, blocking }), 422);
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
