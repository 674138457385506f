import { z } from 'zod';
import { requireActor, requireViewer } from '../../../core/http/auth.ts';
import { recordId } from '../../../core/http/params.ts';
import { route } from '../../../core/http/routes.ts';
import { pageContext } from '../../../core/views/context.ts';
import { sendHtml } from '../../../core/views/render.ts';
import { currentSession, redirectWithFlash } from '../route-helpers.ts';
import { clearSessionCookie } from './cookies.ts';
import { revokeOtherSessions, revokeSession, securityActivity, sessionsOf } from './devices.ts';
import { SessionsPage } from './views.tsx';

// The signed-in person's devices: each session with its browser and last use, signing one out or
// all the others, and the account's recent security activity.

export const sessionRoutes = [
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
        return redirectWithFlash(reply, '/login', 'info', 'You have been signed out.');
      }
      return redirectWithFlash(reply, '/account/sessions', 'success', 'That session was signed out.');
    },
  }),
  route({
    method: 'POST',
    url: '/account/sessions/others/revoke',
    access: 'signed-in',
    example: { body: {} },
    handler: async (request, reply, { db }) => {
      const ended = await revokeOtherSessions(db, requireActor(request), currentSession(request));
      return redirectWithFlash(
        reply,
        '/account/sessions',
        'success',
        ended === 1 ? 'One other session was signed out.' : `${ended} other sessions were signed out.`,
      );
    },
  }),
];
