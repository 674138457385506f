import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireActor, requireViewer } from '../../../core/http/auth.ts';
import { emptyForm, type FormState } from '../../../core/http/forms.ts';
import { route } from '../../../core/http/routes.ts';
import { pageContext } from '../../../core/views/context.ts';
import { sendHtml } from '../../../core/views/render.ts';
import { EXAMPLE_PASSWORD, formError, limited, redirectWithFlash } from '../route-helpers.ts';
import { clearSessionCookie } from '../sessions/cookies.ts';
import { deactivateAccount, deleteAccountSchema, orgsBlockingDeletion } from './delete-account.ts';
import { DeleteAccountPage } from './views.tsx';

// Deleting one's own account: what blocks it (being the only owner of an org with others), then
// the password and a typed confirmation.

function deletePage(request: FastifyRequest, reply: FastifyReply, form: FormState, blocking: string[], status = 200) {
  return sendHtml(reply, DeleteAccountPage({ ctx: pageContext(request, reply), form, blocking }), status);
}

export const accountDeletionRoutes = [
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
    example: { body: { current_password: EXAMPLE_PASSWORD, confirm: 'yes' } },
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
      return redirectWithFlash(reply, '/', 'info', 'Your account was deleted and you were signed out everywhere.');
    },
  }),
];
