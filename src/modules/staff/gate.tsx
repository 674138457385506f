// The door of the back-office. Every /staff route passes here before its own access check:
// anyone who is not staff gets 404 (the area does not exist for them); staff need two-factor
// authentication on, a sign-in younger than 12 hours and no more than 30 idle minutes in the area.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { NotFoundError } from '../../core/http/errors.ts';
import type { Viewer } from '../../core/http/types.ts';
import { pageContext } from '../../core/views/context.ts';
import { sendHtml } from '../../core/views/render.ts';
import { markStaffSeen } from '../accounts/service.ts';
import { staffPaths } from './paths.ts';
import { TwoFactorNeededPage } from './views.tsx';

export const STAFF_SIGN_IN_HOURS = 12;
export const STAFF_IDLE_MINUTES = 30;
/** A destructive action needs the password entered this recently. */
export const STAFF_DESTRUCTIVE_MINUTES = 15;

export type StaleReason = 'expired' | 'idle' | 'destructive';

/** Why this staff session must prove its password again, or null when it is recent enough. */
export function staleSignIn(viewer: Viewer, now = Date.now(), destructive = false): StaleReason | null {
  const signedIn = viewer.authenticatedAt.getTime();
  if (now - signedIn > STAFF_SIGN_IN_HOURS * 3600_000) return 'expired';
  if (destructive && now - signedIn > STAFF_DESTRUCTIVE_MINUTES * 60_000) return 'destructive';
  const lastUsed = Math.max(signedIn, viewer.staffSeenAt?.getTime() ?? 0);
  if (now - lastUsed > STAFF_IDLE_MINUTES * 60_000) return 'idle';
  return null;
}

export function staffScope(scope: FastifyInstance, db: Db): void {
  scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const viewer = request.viewer;
    if (!viewer?.staffRole || !request.sessionIdHash) throw new NotFoundError();
    if (!viewer.twoFactorEnabled)
      return sendHtml(reply, <TwoFactorNeededPage ctx={pageContext(request, reply)} />, 403);
    if (!request.routeOptions.config.recentSignIn) return;
    const stale = staleSignIn(viewer, Date.now(), request.routeOptions.config.destructive === true);
    if (stale) {
      // A page (or an htmx swap) goes to the password prompt and comes back to it; a form comes back to
      // the page it was on (the action's address without its last part), to be sent again. Nothing ran.
      const next = request.method === 'GET' ? request.url : request.url.split('?')[0]!.replace(/\/[^/]+$/, '');
      const target = staffPaths.confirm(next, stale);
      if (request.headers['hx-request'] === 'true') return reply.header('hx-redirect', target).code(204).send();
      return reply.redirect(target, 303);
    }
    // The idle clock moves at most once a minute: most staff requests write nothing.
    if (!viewer.staffSeenAt || Date.now() - viewer.staffSeenAt.getTime() > 60_000)
      await markStaffSeen(db, request.sessionIdHash);
  });
}
