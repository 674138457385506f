import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireActor, safeNext } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { emptyForm, type FormState } from '../../core/http/forms.ts';
import { route } from '../../core/http/routes.ts';
import { isStaffUrl, STAFF_ROLES } from '../../core/http/staff-access.ts';
import type { AppContext } from '../../core/app-context.ts';
import { flash } from '../../core/views/flash.ts';
import { pageContext } from '../../core/views/context.ts';
import { sendHtml } from '../../core/views/render.ts';
import { reauthenticate } from '../accounts/service.ts';
import type { StaleReason } from './gate.tsx';
import { staffPaths } from './paths.ts';
import { describeStaffChange, listStaff, setStaffRole } from './service.ts';
import { ConfirmPasswordPage, StaffHomePage } from './views.tsx';

/** Where to go once the password is confirmed: a back-office page, never elsewhere. */
function staffNext(next: unknown): string {
  const path = safeNext(next);
  return path && isStaffUrl(path.split('?')[0] ?? '') ? path : staffPaths.home;
}

const teamRoleBody = z.object({
  email: z.string().trim().min(1, 'Enter the email of an account.').max(320),
  role: z.enum([...STAFF_ROLES, 'none'], 'Choose a staff role.'),
});

async function homePage(
  request: FastifyRequest,
  reply: FastifyReply,
  { db, adminNav }: AppContext,
  teamForm?: FormState,
  status = 200,
) {
  const team = await listStaff(db);
  return sendHtml(reply, StaffHomePage({ ctx: pageContext(request, reply), team, teamForm, lists: adminNav }), status);
}

const confirmQuery = z.object({
  next: z.string().max(2000).optional(),
  reason: z.enum(['expired', 'idle', 'destructive']).optional(),
});

const confirmBody = z.object({
  password: z.string().min(1, 'Enter your password.').max(1000),
  next: z.string().max(2000).optional(),
});

function confirmPage(
  request: FastifyRequest,
  reply: FastifyReply,
  form: FormState,
  next: string,
  reason: StaleReason | null,
  status = 200,
) {
  return sendHtml(reply, ConfirmPasswordPage({ ctx: pageContext(request, reply), form, next, reason }), status);
}

export const staffRoutes = [
  route({
    method: 'GET',
    url: staffPaths.home,
    access: 'staff:any',
    handler: (request, reply, app) => homePage(request, reply, app),
  }),
  route({
    method: 'POST',
    url: staffPaths.teamRole,
    summary: 'give, change or take away a staff role',
    access: 'staff:superuser',
    body: teamRoleBody,
    example: { body: { email: 'someone@example.test', role: 'support' } },
    invalid: (request, reply, app, form) => homePage(request, reply, app, form, 422),
    handler: async (request, reply, app) => {
      const { db } = app;
      const { email, role } = request.body;
      try {
        const change = await setStaffRole(db, requireActor(request), email, role === 'none' ? null : role);
        flash(reply, 'success', describeStaffChange(email.toLowerCase(), change));
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return homePage(request, reply, app, { values: { email, role }, errors: err.fieldErrors }, 422);
      }
      return reply.redirect(staffPaths.home, 303);
    },
  }),
  route({
    method: 'GET',
    url: staffPaths.confirm(),
    access: 'staff:any',
    recentSignIn: false,
    query: confirmQuery,
    handler: (request, reply) =>
      confirmPage(request, reply, emptyForm, staffNext(request.query.next), request.query.reason ?? null),
  }),
  route({
    method: 'POST',
    url: staffPaths.confirm(),
    summary: 'confirm the password of a stale staff sign-in',
    access: 'staff:any',
    recentSignIn: false,
    body: confirmBody,
    options: { config: { rateLimit: { max: 10, timeWindow: '15 minutes' } } },
    example: { body: { password: 'correct horse battery staple' } },
    invalid: (request, reply, _app, form) => confirmPage(request, reply, form, staffNext(form.values.next), null, 422),
    handler: async (request, reply, { db, links }) => {
      const next = staffNext(request.body.next);
      try {
        await reauthenticate(db, requireActor(request), links, request.sessionIdHash as Buffer, request.body.password);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return confirmPage(request, reply, { values: {}, errors: err.fieldErrors }, next, null, 422);
      }
      return reply.redirect(next, 303);
    },
  }),
];
