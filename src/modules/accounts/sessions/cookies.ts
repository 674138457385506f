import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Settings } from '../../../core/config/settings.ts';
import type { Db } from '../../../core/db/pool.ts';
import { cookieName, cookieOptions } from '../../../core/security/cookies.ts';
import { hashToken } from '../../../core/security/tokens.ts';
import { userActor } from '../../../core/audit/audit.ts';
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

/** Loads the signed-in person on every request (fresh from the database: no cached membership). */
export function registerSessions(app: FastifyInstance, db: Db, settings: SessionSettings): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/static/') || request.url === '/healthz') return;
    const token = request.cookies[cookieName(app, 'session')];
    if (!token || token.length > 100) return;
    const idHash = hashToken(token);
    const session = await sessionFor(db, idHash, settings);
    if (!session) {
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
