import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db/pool.ts';
import { requireActor, requireViewer } from '../../core/http/auth.ts';
import { NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { formValues } from '../../core/http/forms.ts';
import { recordId } from '../../core/http/params.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import {
  accountFacts,
  disableAccount,
  disableSchema,
  enableAccount,
  recordStaffView,
  revokeAllSessions,
  sendResetLink,
  unlockAccount,
} from '../accounts/service.ts';
import { staffPaths } from './paths.ts';
import { UserPage, type UserForms } from './user-views.tsx';

// A person's page in the back-office and the account actions on it. Each action calls the
// accounts module's service, which checks the staff role again and audits it.

const params = z.object({ userId: recordId });
const confirmBody = z.object({ confirm: z.string().max(320).optional() });
const reasonBody = z.object({ reason: disableSchema.shape.reason });

async function page(request: FastifyRequest, reply: FastifyReply, db: Db, userId: string, forms?: UserForms) {
  const actor = requireActor(request);
  const facts = await accountFacts(db, actor.userId, userId);
  if (!facts) throw new NotFoundError('There is no such account.');
  // One entry per page view (not per list row): the person sees that support looked.
  if (!forms) await recordStaffView(db, actor, userId);
  const role = requireViewer(request).staffRole ?? 'operator';
  return sendHtml(reply, UserPage({ ctx: pageContext(request, reply), facts, role, forms }), forms ? 422 : 200);
}

/** Runs the action; a refused confirmation shows the page again with the message beside the form. */
async function act(
  request: FastifyRequest<{ Params: { userId: string } }>,
  reply: FastifyReply,
  db: Db,
  form: keyof UserForms | null,
  run: () => Promise<string>,
) {
  let done: string;
  try {
    done = await run();
  } catch (err) {
    if (!(err instanceof ValidationError) || !form) throw err;
    const state = { values: formValues(request.body), errors: err.fieldErrors, message: err.message };
    return page(request, reply, db, request.params.userId, { [form]: state });
  }
  flash(reply, 'success', done);
  return reply.redirect(staffPaths.user(request.params.userId), 303);
}

export const userRoutes = [
  route({
    method: 'GET',
    url: '/staff/users/:userId',
    access: 'staff:any',
    params,
    handler: (request, reply, { db }) => page(request, reply, db, request.params.userId),
  }),
  route({
    method: 'POST',
    url: '/staff/users/:userId/unlock',
    summary: "unlock a person's account",
    access: 'staff:support',
    params,
    example: { body: {} },
    handler: (request, reply, { db }) =>
      act(request, reply, db, null, async () =>
        (await unlockAccount(db, requireActor(request), request.params.userId))
          ? 'The account is unlocked: the person can sign in again.'
          : 'The account was not locked.',
      ),
  }),
  route({
    method: 'POST',
    url: '/staff/users/:userId/send-reset',
    summary: 'send a person a password reset link',
    access: 'staff:support',
    params,
    example: { body: {} },
    handler: (request, reply, { db }) =>
      act(request, reply, db, null, async () => {
        const email = await sendResetLink(db, requireActor(request), request.params.userId);
        return `A reset link is on its way to ${email} (unless one was sent in the last minutes).`;
      }),
  }),
  route({
    method: 'POST',
    url: '/staff/users/:userId/revoke-sessions',
    destructive: true,
    summary: 'sign a person out of every device (email typed)',
    access: 'staff:support',
    params,
    body: confirmBody,
    example: { body: { confirm: 'someone@example.test' } },
    handler: (request, reply, { db }) =>
      act(request, reply, db, 'revoke', async () => {
        const n = await revokeAllSessions(db, requireActor(request), request.params.userId, request.body.confirm);
        return n === 1 ? 'One session was signed out.' : `${n} sessions were signed out.`;
      }),
  }),
  route({
    method: 'POST',
    url: '/staff/users/:userId/disable',
    destructive: true,
    summary: "disable a person's account (reason, email typed)",
    access: 'staff:superuser',
    params,
    body: disableSchema,
    example: { body: { reason: 'Ticket #1', confirm: 'someone@example.test' } },
    invalid: (request, reply, { db }, form) =>
      page(request, reply, db, (request.params as { userId: string }).userId, { disable: form }),
    handler: (request, reply, { db }) =>
      act(request, reply, db, 'disable', async () => {
        await disableAccount(db, requireActor(request), request.params.userId, request.body);
        return 'The account is disabled and every device was signed out.';
      }),
  }),
  route({
    method: 'POST',
    url: '/staff/users/:userId/enable',
    summary: 'enable a disabled account (reason)',
    access: 'staff:superuser',
    params,
    body: reasonBody,
    example: { body: { reason: 'Ticket #1' } },
    invalid: (request, reply, { db }, form) =>
      page(request, reply, db, (request.params as { userId: string }).userId, { disable: form }),
    handler: (request, reply, { db }) =>
      act(request, reply, db, null, async () => {
        await enableAccount(db, requireActor(request), request.params.userId, request.body.reason);
        return 'The account is enabled again.';
      }),
  }),
];
