import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../../core/db/pool.ts';
import { requireActor, requireViewer } from '../../../core/http/auth.ts';
import { emptyForm, type FormState } from '../../../core/http/forms.ts';
import { route } from '../../../core/http/routes.ts';
import {
  NOTIFICATION_KINDS,
  notificationPreferences,
  preferencesSchema,
  setNotificationPreferences,
} from '../../notifications/service.ts';
import { emailChangeSchema, requestEmailChange } from '../email-change/email-change.ts';
import {
  currentSession,
  EXAMPLE_PASSWORD,
  formError,
  formPage,
  limited,
  redirectWithFlash,
  sendPage,
} from '../route-helpers.ts';
import { ChangePasswordPage } from './change-password-views.tsx';
import { NotificationsPage } from './notifications-views.tsx';
import {
  accountOverview,
  changePassword,
  passwordChangeSchema,
  profileSchema,
  timeZoneList,
  updateProfile,
} from './settings.ts';
import { AccountPage } from './views.tsx';

// The signed-in person's own account: /account, its profile and email forms, the password and
// notification pages. Devices are in sessions/, deleting the account in deletion/.

async function showAccount(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  forms: { profile?: FormState; email?: FormState } = {},
  status = 200,
) {
  const viewer = requireViewer(request);
  const overview = await accountOverview(db, viewer.id);
  const profileForm = forms.profile ?? { values: { name: overview.name, time_zone: overview.timeZone }, errors: {} };
  const page = { overview, profileForm, emailForm: forms.email ?? emptyForm, zones: timeZoneList() };
  return sendPage(request, reply, AccountPage, page, status);
}

const passwordPage = formPage(ChangePasswordPage);
const notificationsPage = formPage(NotificationsPage);

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
      return redirectWithFlash(reply, '/account', 'success', 'Your profile was saved.');
    },
  }),
  route({
    method: 'POST',
    url: '/account/email',
    access: 'signed-in',
    body: emailChangeSchema,
    options: limited(10),
    example: { body: { new_email: 'new.address@example.test', current_password: EXAMPLE_PASSWORD } },
    invalid: (request, reply, { db }, form) => showAccount(request, reply, db, { email: form }, 422),
    handler: async (request, reply, { db, links }) => {
      try {
        await requestEmailChange(db, requireActor(request), links, request.body);
      } catch (err) {
        return showAccount(request, reply, db, { email: formError(request, err) }, 422);
      }
      return redirectWithFlash(
        reply,
        '/account',
        'success',
        `We sent a confirmation link to ${request.body.new_email}. Your address changes when you open it.`,
      );
    },
  }),
  route({
    method: 'GET',
    url: '/account/password',
    access: 'signed-in',
    handler: async (request, reply) => passwordPage(request, reply),
  }),
  route({
    method: 'POST',
    url: '/account/password',
    access: 'signed-in',
    body: passwordChangeSchema,
    options: limited(10),
    example: { body: { current_password: EXAMPLE_PASSWORD, password: 'a different long password' } },
    invalid: (request, reply, _app, form) => passwordPage(request, reply, form, 422),
    handler: async (request, reply, { db, links }) => {
      try {
        await changePassword(db, requireActor(request), links, currentSession(request), request.body);
      } catch (err) {
        return passwordPage(request, reply, formError(request, err), 422);
      }
      return redirectWithFlash(
        reply,
        '/account',
        'success',
        'Your password was changed. Every other device was signed out.',
      );
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
      return redirectWithFlash(
        reply,
        '/account/notifications',
        changed.length ? 'success' : 'info',
        changed.length ? 'Your notification choices were saved.' : 'Nothing changed.',
      );
    },
  }),
];
