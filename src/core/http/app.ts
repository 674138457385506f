import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { anonymousActor } from '../audit/audit.ts';
import { registerHealth } from '../observability/health.ts';
import { loggerOptions } from '../observability/logging.ts';
import { httpDuration } from '../observability/metrics.ts';
import { enterTimings } from '../observability/request-context.ts';
import { cookieName, cookieOptions } from '../security/cookies.ts';
import { registerCspReports } from '../security/csp-reports.ts';
import { registerSecurityHeaders } from '../security/headers.ts';
import { registerAssets } from '../views/assets.ts';
import { NotAuthenticatedError } from './auth.ts';
import { BadRequestError, DomainError } from './errors.ts';
import { registerFormIdempotency } from './idempotency.ts';
import { renderErrorPage } from './error-page.tsx';
import './types.ts';
import type { RouteEntry } from './types.ts';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The Fastify app shared by the server and the tests: logging, security headers, CSRF,
 * cookies, rate limits, timing, metrics, error pages. Modules add their routes on top.
 */
export async function createHttpApp(deps: AppContext): Promise<FastifyInstance> {
  const { settings } = deps;
  const app = Fastify({
    logger: loggerOptions(settings.logLevel),
    genReqId: () => randomUUID(),
    trustProxy: settings.trustProxy,
    bodyLimit: 1024 * 1024,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.decorate('isProduction', settings.isProduction);
  app.decorate('cookieSecure', settings.cookieSecure);
  app.decorateRequest('viewer', null);
  app.decorateRequest('actor', null as never);
  app.decorateRequest('org', null);
  app.decorateRequest('sessionIdHash', null);
  app.decorateRequest('timings', null as never);
  app.decorate('appContext', deps);
  // Route schemas are zod schemas (fastify-type-provider-zod); see core/http/routes.ts.
  app.setValidatorCompiler(validatorCompiler);

  // The route table (`ledgerworks routes`, and the tests that walk every route). A route that
  // declares no access is refused here, whoever registers it.
  const routeList: RouteEntry[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access) throw new Error(`${String(route.method)} ${route.url} declares no access (see core/http/routes.ts)`);
    // Only registerRoute (which names the module) enforces an access; anything else must be public.
    if (access !== 'public' && !route.config?.module)
      throw new Error(`${String(route.method)} ${route.url}: only a declared route (route()) may need ${access}`);
    const module = route.config?.module ?? 'platform';
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeList.push({ method, url: route.url, access, module });
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    request.timings = { dbMs: 0, dbQueries: 0 };
    request.actor = anonymousActor({ requestId: request.id, ip: request.ip });
    enterTimings(request.timings);
    reply.header('x-request-id', request.id);
    if (settings.allowedHosts.length && !settings.allowedHosts.includes(request.hostname.replace(/:\d+$/, ''))) {
      return reply.code(400).type('text/plain').send('Unknown host');
    }
  });

  await app.register(fastifyCookie, { secret: settings.secretKey });
  // No text input may hold a NUL character (PostgreSQL refuses it in text): refused in one place.
  // After the cookie plugin's own hook: the error page needs the parsed cookies (its CSRF token).
  app.addHook('onRequest', async (request) => {
    if (/%00/i.test(request.url))
      throw new BadRequestError('The address contains a NUL character, which is not allowed.');
  });
  await app.register(fastifyFormbody);
  // A route's limit counts in its preHandler, which runs after the app's own preHandlers: a request
  // that fails CSRF (a cross-site form posted from the person's browser, with their IP) is refused
  // before it is counted, so forged posts cannot use up the person's allowance and lock them out.
  await app.register(fastifyRateLimit, {
    global: false,
    hook: 'preHandler',
    errorResponseBuilder: (_req, ctx) => rateLimitError(ctx.after),
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: cookieName(app, 'csrf'),
    cookieOpts: { ...cookieOptions(app), signed: true },
  });
  await registerSecurityHeaders(app, { reportOnly: settings.cspReportOnly, production: settings.isProduction });

  // Once every body is parsed, multipart ones too (their parser is a preValidation hook of the upload
  // scope, which runs after the app's own), and before CSRF or any handler reads a field.
  app.addHook('preHandler', async (request) => {
    if (holdsNul(request.body))
      throw new BadRequestError('What was sent contains a NUL character, which is not allowed.');
  });
  // After the body is parsed: @fastify/csrf-protection reads the token from form fields.
  app.addHook('preHandler', (request, reply, done) => {
    if (!UNSAFE.has(request.method) || request.routeOptions.config.csrf === false) return done();
    app.csrfProtection(request, reply, done);
  });
  registerFormIdempotency(app, deps.db);

  app.addHook('onSend', async (request, reply, payload) => {
    const totalMs = reply.elapsedTime;
    reply.header(
      'server-timing',
      `db;dur=${request.timings.dbMs.toFixed(1)};desc="${request.timings.dbQueries} queries", total;dur=${totalMs.toFixed(1)}`,
    );
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => handleError(error, request, reply));
  app.setNotFoundHandler((request, reply) => renderErrorPage(request, reply, 404, 'We could not find that page.'));

  await registerAssets(app);
  await registerCspReports(app, deps.db);
  registerHealth(app, {
    db: deps.db,
    pool: deps.pool,
    production: settings.isProduction,
    metricsToken: settings.metricsToken,
  });
  return app;
}

/** Whether a parsed body (form fields, JSON) holds a NUL character in any string, key or value. */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (!value || typeof value !== 'object' || depth > 8) return false;
  for (const [k, v] of Object.entries(value)) if (k.includes('\0') || holdsNul(v, depth + 1)) return true;
  return false;
}

/** busboy's words for a multipart body it cannot read (no boundary, a truncated part). */
const MALFORMED_MULTIPART =
  /^(Multipart: Boundary not found|Unexpected end of (form|multipart data)|Malformed part header)/;

function rateLimitError(after: string): Error {
  return Object.assign(new Error(`Too many attempts. Please wait ${after} and try again.`), { statusCode: 429 });
}

function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof NotAuthenticatedError) {
    if (request.method === 'GET' && !request.headers['hx-request']) {
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
    }
    return renderErrorPage(request, reply, 401, error.message);
  }
  if (error instanceof DomainError) return renderErrorPage(request, reply, error.statusCode, error.message);
  const status = error.statusCode ?? 500;
  if (error.code?.startsWith('FST_CSRF')) {
    request.log.warn({ code: error.code }, 'CSRF check failed');
    return renderErrorPage(
      request,
      reply,
      403,
      'This form could not be accepted: its security token is missing or has expired, or it was sent from another site. Go back, reload the page and try again.',
    );
  }
  if (status === 429) return renderErrorPage(request, reply, 429, error.message);
  if (status === 413) return renderErrorPage(request, reply, 413, 'What you sent is too large.');
  if (MALFORMED_MULTIPART.test(error.message) || error.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return renderErrorPage(
      request,
      reply,
      400,
      'The upload could not be read: the file was not sent completely. Try again.',
    );
  }
  if (status >= 400 && status < 500)
    return renderErrorPage(request, reply, status, 'The request could not be understood.');
  request.log.error({ err: error }, 'unhandled error');
  return renderErrorPage(request, reply, 500, 'Something went wrong on our side. It has been logged.');
}
