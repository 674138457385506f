import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';

export const CSP_REPORT_PATH = '/csp-report';
const REPORT_GROUP = 'csp';

const nonces = new WeakMap<IncomingMessage, string>();

/** The request's CSP nonce, created on first use; the header and every script tag share it. */
export function cspNonce(req: IncomingMessage): string {
  let n = nonces.get(req);
  if (!n) {
    n = randomBytes(18).toString('base64');
    nonces.set(req, n);
  }
  return n;
}

/**
 * Strict CSP with a fresh nonce per request, no 'unsafe-inline' anywhere, styles from
 * 'self' only; report-only mode by setting. Plus HSTS (production), nosniff,
 * Referrer-Policy, Permissions-Policy and COOP.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  opts: { reportOnly: boolean; production: boolean },
): Promise<void> {
  const directives: Record<string, Iterable<string | ((req: IncomingMessage) => string)>> = {
    defaultSrc: ["'self'"],
    scriptSrc: [(req: IncomingMessage) => `'nonce-${cspNonce(req)}'`, "'strict-dynamic'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    reportUri: [CSP_REPORT_PATH],
    reportTo: [REPORT_GROUP],
  };
  if (opts.production) directives.upgradeInsecureRequests = [];
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives, reportOnly: opts.reportOnly },
    strictTransportSecurity: opts.production ? { maxAge: 63_072_000, includeSubDomains: true } : false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xFrameOptions: { action: 'deny' },
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header(
      'permissions-policy',
      'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    );
    reply.header('reporting-endpoints', `${REPORT_GROUP}="${CSP_REPORT_PATH}"`);
  });
}
