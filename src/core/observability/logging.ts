import type { FastifyServerOptions } from 'fastify';

/** Anything that can carry a credential is redacted, wherever a log line puts it. */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.password_hash',
  '*.token',
  '*.secret',
  '*._csrf',
  '*.*.password',
  '*.*.token',
  'password',
  'token',
];

/**
 * Emailed links carry their secret in the path (/password/reset/<token>), and pages pass them on
 * in query strings (/signup?invitation=<token>, /login?next=%2Finvitations%2F<token>): anything
 * that looks like one of our tokens (43+ URL-safe characters) is masked before it is logged.
 */
export function maskUrlSecrets(url: string): string {
  return url.replace(/(?<=\/|=|%2F)[A-Za-z0-9_-]{43,}(?=[/?#&%]|$)/gi, '[redacted]');
}

type LoggedRequest = { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } };

export function loggerOptions(level: string) {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: maskUrlSecrets(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
    base: { app: 'ledgerworks' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
  } satisfies FastifyServerOptions['logger'];
}
