import type { FastifyInstance } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';
import '../http/types.ts';

/** Secure cookies get the __Host- prefix: bound to this host, path /, never sent over HTTP. */
export function cookieName(app: FastifyInstance, base: string): string {
  return app.cookieSecure ? `__Host-lw_${base}` : `lw_${base}`;
}

export function cookieOptions(app: FastifyInstance): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: app.cookieSecure };
}
