import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db/pool.ts';
import { NOTIFICATION_KINDS } from '../notifications/service.ts';
import { requireActor, NotAuthenticatedError, requireViewer } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, type FormState } from '../../core/http/forms.ts';
import { recordId } from '../../core/http/params.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { deactivateAccount, deleteAccountSchema, orgsBlockingDeletion } from './account-deletion.ts';
import { revokeOtherSessions, revokeSession, securityActivity, sessionsOf } from './account-devices.ts';
import {
  accountOverview,
  changePassword,
  passwordChangeSchema,
  profileSchema,
  timeZoneList,
  updateProfile,
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
import { clearSessionCookie } from './sessions.ts';

// The signed-in person's own account: /account and the pages it links to.

const limited = (max: number) => ({ config: { rateLimit: { max, timeWindow: '1 hour' } } });

/** Every person the tests sign up has this password. */
const PASSWORD = 'correct horse battery staple';

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

async function showAccount(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  forms: { profile?: FormState; email?: FormState } = {},
  status = 200,
) {
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
}

function passwordPage(request: FastifyRequest, reply: FastifyReply, form: FormState) {
  return sendHtml(reply, ChangePasswordPage({ ctx: pageContext(request, reply), form }), 422);
}

function notificationsPage(request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) {
  return sendHtml(reply, NotificationsPage({ ctx: pageContext(request, reply), form }), status);
}

function deletePage(request: FastifyRequest, reply: FastifyReply, form: FormState, blocking: string[], status = 200) {
  return sendHtml(reply, DeleteAccountPage({ ctx: pageContext(request, reply), form, blocking }), status);
}

export const accountSettingsRoutes = [
  route({
    method: 'GET',
    url: '/account',
    access: 'signed-in',
    handler: (request, reply, { db }) => showAccount(request, reply, db),
  }),
  route({
    method: 'POST',
    url: '/account/profile',
    access: 'signed-in',
    body: profileSchema,
    options: limited(60),
    example: { body: { name: 'Pat Example', time_zone: 'UTC' } },
    invalid: (request, reply, { db }, form) => showAccount(request, reply, db, { profile: form }, 422),
    handler: async (request, reply, { db }) => {
      await updateProfile(db, requireActor(request), request.body);
      flash(reply, 'success', 'Your profile was saved.');
      return reply.redirect('/account', 303);
    },
  }),
  route({
    method: 'POST',
    url: '/account/email',
    access: 'signed-in',
    body: emailChangeSchema,
    options: limited(10),
    example: { body: { new_email: 'new.address@example.test', current_password: PASSWORD } },
    invalid: (request, reply, { db }, form) => showAccount(request, reply, db, { email: form }, 422),
    handler: async (request, reply, { db, links }) => {
      try {
        await requestEmailChange(db, requireActor(request), links, request.body);
      } catch (err) {
        return showAccount(request, reply, db, { email: formError(request, err) }, 422);
      }
      flash(
        reply,
        'success',
        `We sent a confirmation link to ${request.body.new_email}. Your address changes when you open it.`,
      );
      return reply.redirect('/account', 303);
    },
  }),
  route({
    method: 'GET',
    url: '/account/password',
    access: 'signed-in',
    handler: async (request, reply) =>
      sendHtml(reply, ChangePasswordPage({ ctx: pageContext(request, reply), form: emptyForm })),
  }),
  route({
    method: 'POST',
    url: '/account/password',
    access: 'signed-in',
    body: passwordChangeSchema,
    options: limited(10),
    example: { body: { current_password: PASSWORD, password: 'a different long password' } },
    invalid: (request, reply, _app, form) => passwordPage(request, reply, form),
    handler: async (request, reply, { db, links }) => {
      try {
        await changePassword(db, requireActor(request), links, currentSession(request), request.body);
      } catch (err) {
        return passwordPage(request, reply, formError(request, err));
      }
      flash(reply, 'success', 'Your password was changed. Every other device was signed out.');
      return reply.redirect('/account', 303);
    },
  }),
  route({
    method: 'GET',
    url: '/account/notifications',
    access: 'signed-in',
    handler: async (request, reply, { db }) => {
      const prefs = await notificationPreferences(db, requireViewer(request).id);
      return notificationsPage(request, reply, { values: prefs, errors: {} });
    },
  }),
  route({
    method: 'POST',
    url: '/account/notifications',
    access: 'signed-in',
    body: preferencesSchema,
    options: limited(60),
    example: { body: Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, 'immediate'])) },
    invalid: (request, reply, _app, form) => notificationsPage(request, reply, form, 422),
    handler: async (request, reply, { db }) => {
      const { changed } = await setNotificationPreferences(db, requireActor(request), request.body);
      flash(
        reply,
        changed.length ? 'success' : 'info',
        changed.length ? 'Your notification choices were saved.' : 'Nothing changed.',
      );
      return reply.redirect('/account/notifications', 303);
    },
  }),
  route({
    method: 'GET',
    url: '/account/sessions',
    access: 'signed-in',
    handler: async (request, reply, { db, settings }) => {
      const viewer = requireViewer(request);
      const sessions = await sessionsOf(db, viewer.id, request.sessionIdHash, settings.sessionIdleMinutes);
      const events = await securityActivity(db, viewer.id);
      return sendHtml(reply, SessionsPage({ ctx: pageContext(request, reply), sessions, events }));
    },
  }),
  route({
    method: 'POST',
    url: '/account/sessions/:id/revoke',
    access: 'signed-in',
    // A session's public id; anything else answers 404 like a session that ended.
    params: z.object({ id: recordId }),
    example: { body: {} },
    handler: async (request, reply, { db }) => {
      const actor = requireActor(request);
      const { wasCurrent } = await revokeSession(db, actor, request.sessionIdHash, request.params.id);
      if (wasCurrent) {
        clearSessionCookie(reply);
        flash(reply, 'info', 'You have been signed out.');
        return reply.redirect('/login', 303);
      }
      flash(reply, 'success', 'That session was signed out.');
      return reply.redirect('/account/sessions', 303);
    },
  }),
  route({
    method: 'POST',
    url: '/account/sessions/others/revoke',
    access: 'signed-in',
    example: { body: {} },
    handler: async (request, reply, { db }) => {
      const ended = await revokeOtherSessions(db, requireActor(request), currentSession(request));
      flash(
        reply,
        'success',
        ended === 1 ? 'One other session was signed out.' : `${ended} other sessions were signed out.`,
      );
      return reply.redirect('/account/sessions', 303);
    },
  }),
  route({
    method: 'GET',
    url: '/account/delete',
    access: 'signed-in',
    handler: async (request, reply, { db }) => {
      const blocking = await orgsBlockingDeletion(db, requireViewer(request).id);
      return deletePage(request, reply, emptyForm, blocking);
    },
  }),
  route({
    method: 'POST',
    url: '/account/delete',
    access: 'signed-in',
    body: deleteAccountSchema,
    options: limited(10),
    example: { body: { current_password: PASSWORD, confirm: 'yes' } },
    invalid: async (request, reply, { db }, form) =>
      deletePage(request, reply, form, await orgsBlockingDeletion(db, requireViewer(request).id), 422),
    handler: async (request, reply, { db }) => {
      try {
        await deactivateAccount(db, requireActor(request), request.body);
      } catch (err) {
        // The refusal names the orgs itself, so the notice is not repeated.
        return deletePage(request, reply, formError(request, err), [], 422);
      }
      clearSessionCookie(reply);
      flash(reply, 'info', 'Your account was deleted and you were signed out everywhere.');
      return reply.redirect('/', 303);
    },
  }),
];
