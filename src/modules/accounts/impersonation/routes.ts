import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Settings } from '../../../core/config/settings.ts';
import type { Db } from '../../../core/db/pool.ts';
import { requireViewer } from '../../../core/http/auth.ts';
import { route } from '../../../core/http/routes.ts';
import type { Impersonation } from '../../../core/http/types.ts';
import { redirectWithFlash } from '../route-helpers.ts';
import { resumeStaffSession, sessionMeta, sessionSettings } from '../sessions/cookies.ts';
import { endImpersonation, type EndedHow } from './impersonation.ts';

/** Ends this browser's impersonation and brings the staff member's own session back (to the back-office). */
export async function leaveImpersonation(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  settings: Settings,
  imp: Impersonation,
  how: Exclude<EndedHow, 'expired'>,
) {
  await endImpersonation(db, sessionMeta(request), imp.id, how);
  const resumed = await resumeStaffSession(request, reply, db, sessionSettings(settings));
  const name = request.viewer?.name ?? 'them';
  return redirectWithFlash(
    reply,
    resumed ? '/staff' : '/login',
    'info',
    resumed
      ? `You stopped acting as ${name}. You are back in your own account.`
      : `You stopped acting as ${name}. Your own session had ended: sign in again.`,
  );
}

/** The banner's Stop button: allowed even when the impersonation is read-only. */
export const impersonationRoutes = [
  route({
    method: 'POST',
    url: '/impersonation/stop',
    access: 'signed-in',
    whileImpersonating: 'allowed',
    example: { body: {} },
    handler: async (request, reply, { db, settings }) => {
      const imp = requireViewer(request).impersonation;
      if (!imp) {
        return redirectWithFlash(reply, '/', 'info', 'You are not signed in as anyone else.');
      }
      return leaveImpersonation(request, reply, db, settings, imp, 'stopped');
    },
  }),
];
