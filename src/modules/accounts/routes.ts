import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { safeNext } from '../../core/http/auth.ts';
import { TooManyRequestsError, ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, parseForm } from '../../core/http/forms.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { logIn, logInSchema, logOut, signUp, signUpSchema, type SessionSettings } from './service.ts';
import { setPendingLogin } from './pending-login.ts';
import { clearSessionCookie, sessionMeta, setSessionCookie } from './sessions.ts';
import { HomePage, LogInPage, SignUpPage } from './views.tsx';

type Query = { next?: string };

export function registerAccountRoutes(app: FastifyInstance, db: Db, settings: SessionSettings): void {
  app.get('/', async (request, reply) => {
    const viewer = request.viewer;
    if (viewer) {
      // Back to where the person last worked, else their only org, else the list.
      const org = viewer.orgs.find((o) => o.id === viewer.lastOrgId) ?? (viewer.orgs.length === 1 ? viewer.orgs[0] : undefined);
      return reply.redirect(org ? `/o/${org.slug}` : '/orgs');
    }
    return sendHtml(reply, HomePage({ ctx: pageContext(request, reply) }));
  });

  app.get('/signup', async (request, reply) => {
    if (request.viewer) return reply.redirect('/');
    return sendHtml(reply, SignUpPage({ ctx: pageContext(request, reply), form: emptyForm }));
  });

  app.post('/signup', { config: { rateLimit: { max: 10, timeWindow: '1 hour' } } }, async (request, reply) => {
    const parsed = parseForm(signUpSchema, request.body);
    if (!parsed.ok) return sendHtml(reply, SignUpPage({ ctx: pageContext(request, reply), form: parsed.form }), 422);
    try {
      const { token, org } = await signUp(db, sessionMeta(request), parsed.data, settings);
      setSessionCookie(reply, token, settings);
      flash(reply, 'success', `Welcome! ${org.name} is ready.`);
      return reply.redirect(`/o/${org.slug}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const form = { values: formValues(request.body), errors: err.fieldErrors };
      return sendHtml(reply, SignUpPage({ ctx: pageContext(request, reply), form }), 422);
    }
  });

  app.get<{ Querystring: Query }>('/login', async (request, reply) => {
    const next = safeNext(request.query.next);
    if (request.viewer) return reply.redirect(next ?? '/');
    return sendHtml(reply, LogInPage({ ctx: pageContext(request, reply), form: emptyForm, next }));
  });

  // Two limits: per address (one attacker, many accounts) and per account (many
  // addresses, one account). The plugin runs one limit per route, so the second is checked by hand.
  const perIp = app.rateLimit({ max: 20, timeWindow: '5 minutes', keyGenerator: (req) => `login-ip:${req.ip}` });
  const perAccountLimit = app.createRateLimit({
    max: 10,
    timeWindow: '15 minutes',
    keyGenerator: (req) => {
      const email = (req.body as { email?: unknown } | undefined)?.email;
      return `login-account:${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
    },
  });
  const perAccount = async (request: FastifyRequest) => {
    const r = await perAccountLimit(request);
    if (!r.isAllowed && r.isExceeded) {
      throw new TooManyRequestsError(`Too many attempts for this account. Please wait ${Math.ceil(r.ttlInSeconds / 60)} minutes and try again.`);
    }
  };

  app.post<{ Querystring: Query }>('/login', { preHandler: [perIp, perAccount] }, async (request, reply) => {
    const next = safeNext(request.query.next);
    const parsed = parseForm(logInSchema, request.body);
    if (!parsed.ok) return sendHtml(reply, LogInPage({ ctx: pageContext(request, reply), form: parsed.form, next }), 422);
    const outcome = await logIn(db, sessionMeta(request), parsed.data, settings, request.sessionIdHash);
    if (outcome.kind === 'needs_code') {
      setPendingLogin(reply, { userId: outcome.userId, next });
      return reply.redirect('/login/two-factor', 303);
    }
    if (outcome.kind !== 'signed_in') {
      const message = 'That email and password do not match an account. Check both and try again.';
      const form = { values: { email: parsed.data.email }, errors: {}, message };
      const locked = outcome.kind === 'locked' ? outcome.until : null;
      return sendHtml(reply, LogInPage({ ctx: pageContext(request, reply), form, next, locked }), 401);
    }
    setSessionCookie(reply, outcome.token, settings);
    return reply.redirect(next ?? '/', 303);
  });

  app.post('/logout', async (request, reply) => {
    if (request.sessionIdHash) await logOut(db, sessionMeta(request), request.sessionIdHash);
    clearSessionCookie(reply);
    flash(reply, 'info', 'You have been signed out.');
    return reply.redirect('/login', 303);
  });
}
