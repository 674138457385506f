import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Settings } from '../../../core/config/settings.ts';
import type { Db } from '../../../core/db/pool.ts';
import { cookieName, cookieOptions } from '../../../core/security/cookies.ts';
import { hashToken } from '../../../core/security/tokens.ts';
import { userActor } from '../../../core/audit/audit.ts';
import { flash } from '../../../core/views/flash.ts';
import { endImpersonationOfSession } from '../impersonation/impersonation.ts';
import { sessionFor, type SessionMeta, type SessionSettings } from './sessions.ts';

/** How long a session lives, from the app's settings. */
export function sessionSettings(settings: Settings): SessionSettings {
  return { idleMinutes: settings.sessionIdleMinutes, absoluteHours: settings.sessionAbsoluteHours };
}

export function sessionMeta(request: FastifyRequest): SessionMeta {
  return { requestId: request.id, ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

export function setSessionCookie(reply: FastifyReply, token: string, settings: SessionSettings): void {
  const app = reply.request.server;
  reply.setCookie(cookieName(app, 'session'), token, { ...cookieOptions(app), maxAge: settings.absoluteHours * 3600 });
}

export function clearSessionCookie(reply: FastifyReply): void {
  const app = reply.request.server;
  reply.clearCookie(cookieName(app, 'session'), cookieOptions(app));
}

// While a staff member impersonates someone, their own session token waits in this cookie; it
// becomes the session cookie again when the impersonation stops, runs out or signs out.
const STAFF_RETURN = 'staff_return';

export function holdStaffSession(reply: FastifyReply, staffToken: string): void {
  const app = reply.request.server;
  reply.setCookie(cookieName(app, STAFF_RETURN), staffToken, { ...cookieOptions(app), maxAge: 2 * 3600 });
}

/** The browser becomes the impersonation's session; the staff member's own session waits for them. */
export function switchToImpersonation(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  settings: SessionSettings,
): void {
  const own = request.cookies[cookieName(request.server, 'session')];
  if (own) holdStaffSession(reply, own);
  setSessionCookie(reply, token, settings);
}

/**
 * Makes the waiting staff session the browser's session again; false when there is none (or it
 * ended meanwhile: then the browser is simply signed out).
 */
export async function resumeStaffSession(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  settings: SessionSettings,
): Promise<boolean> {
  const app = request.server;
  const token = request.cookies[cookieName(app, STAFF_RETURN)];
  reply.clearCookie(cookieName(app, STAFF_RETURN), cookieOptions(app));
  if (!token || token.length > 100 || !(await sessionFor(db, hashToken(token), settings))) {
    clearSessionCookie(reply);
    return false;
  }
  setSessionCookie(reply, token, settings);
  return true;
}

/** Loads the signed-in person on every request (fresh from the database: no cached membership). */
export function registerSessions(app: FastifyInstance, db: Db, settings: SessionSettings): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/static/') || request.url === '/healthz') return;
    const token = request.cookies[cookieName(app, 'session')];
    if (!token || token.length > 100) return;
    const idHash = hashToken(token);
    const session = await sessionFor(db, idHash, settings);
    if (!session) {
      if (request.cookies[cookieName(app, STAFF_RETURN)])
        return impersonationOver(request, reply, db, idHash, settings);
      clearSessionCookie(reply);
      return;
    }
    const { viewer, impersonatorId } = session;
    request.viewer = viewer;
    request.actor = userActor(request.actor, viewer.id, impersonatorId);
    request.sessionIdHash = idHash;
    request.log = request.log.child({ userId: viewer.id });
  });
}

/**
 * The impersonation this browser was in has run out (or was ended elsewhere): its record is
 * closed, the staff member's own session comes back, and they land in the back-office.
 */
async function impersonationOver(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  idHash: Buffer,
  settings: SessionSettings,
) {
  // This browser's impersonation only; the others are closed by the every-10-minutes task.
  await endImpersonationOfSession(db, sessionMeta(request), idHash);
  const resumed = await resumeStaffSession(request, reply, db, settings);
  flash(reply, 'info', resumed ? 'The impersonation has ended: you are back in your own account.' : 'Please sign in.');
  const to = resumed ? '/staff' : '/login';
  if (request.headers['hx-request'] === 'true') return reply.header('hx-redirect', to).code(204).send();
  return reply.redirect(to, 303);
}
