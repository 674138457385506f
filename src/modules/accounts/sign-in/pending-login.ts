import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { safeNext } from '../../../core/http/auth.ts';
import { uuid } from '../../../core/schemas.ts';
import { cookieName, cookieOptions } from '../../../core/security/cookies.ts';

/**
 * Between the right password and the second factor, the browser carries who is signing in
 * in a signed cookie (so it cannot be forged or pointed at another person) that expires
 * after ten minutes; the expiry is inside the signed value too, so keeping the cookie
 * longer does not help.
 */
const TTL_SECONDS = 10 * 60;
const pendingSchema = z.object({ userId: uuid(), expires: z.number().int(), next: z.string().nullable() });
export type PendingLogin = { userId: string; next: string | null };

function name(request: FastifyRequest): string {
  return cookieName(request.server, 'pending_login');
}

export function setPendingLogin(reply: FastifyReply, pending: PendingLogin, now = Date.now()): void {
  const value = JSON.stringify({ userId: pending.userId, expires: now + TTL_SECONDS * 1000, next: pending.next });
  reply.setCookie(name(reply.request), value, {
    ...cookieOptions(reply.request.server),
    signed: true,
    maxAge: TTL_SECONDS,
  });
}

/** The pending login of this browser, or null when there is none, or it is forged or expired. */
export function readPendingLogin(request: FastifyRequest, now = Date.now()): PendingLogin | null {
  const raw = request.cookies[name(request)];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return null;
  try {
    const parsed = pendingSchema.safeParse(JSON.parse(unsigned.value));
    if (!parsed.success || parsed.data.expires <= now) return null;
    return { userId: parsed.data.userId, next: safeNext(parsed.data.next) };
  } catch {
    return null;
  }
}

export function clearPendingLogin(reply: FastifyReply): void {
  reply.clearCookie(name(reply.request), cookieOptions(reply.request.server));
}
