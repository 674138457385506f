import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { cookieName, cookieOptions } from '../security/cookies.ts';

export type Flash = { kind: 'success' | 'info' | 'error'; text: string };
const flashSchema = z.array(z.object({ kind: z.enum(['success', 'info', 'error']), text: z.string().max(500) })).max(5);

/** A message for the next page the user sees, carried in a signed cookie across a redirect. */
export function flash(reply: FastifyReply, kind: Flash['kind'], text: string): void {
  reply.setCookie(cookieName(reply.request.server, 'flash'), JSON.stringify([{ kind, text }]), {
    ...cookieOptions(reply.request.server),
    signed: true,
    maxAge: 60,
  });
}

/** Reads and clears the flash messages of this request. */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash[] {
  const name = cookieName(request.server, 'flash');
  const raw = request.cookies[name];
  if (!raw) return [];
  reply.clearCookie(name, cookieOptions(request.server));
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return [];
  try {
    const parsed = flashSchema.safeParse(JSON.parse(unsigned.value));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}
