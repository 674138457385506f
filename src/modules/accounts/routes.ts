import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { safeNext } from '../../core/http/auth.ts';
import { TooManyRequestsError, ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, parseForm, type FormState } from '../../core/http/forms.ts';
import { invitationForToken, WrongAccountError, acceptInvitationIn } from '../invitations/service.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import {
  invitedSignUpSchema,
  logIn,
  logInSchema,
  logOut,
  signUp,
  signUpSchema,
  type JoinOnSignUp,
  type SessionSettings,
} from './service.ts';
import { setPendingLogin } from './pending-login.ts';
import { clearSessionCookie, sessionMeta, setSessionCookie } from './sessions.ts';
import { HomePage, LogInPage, SignUpPage, type SignUpInvitation } from './views.tsx';

type Query = { next?: string };

/** The open invitation a sign-up comes from, as the form shows it; undefined when there is none. */
async function signUpInvitation(db: Db, token: string | undefined): Promise<SignUpInvitation | undefined> {
  if (!token) return undefined;
  const inv = await invitationForToken(db, token);
  return inv?.state === 'open' ? { token, orgName: inv.orgName, role: inv.role, email: inv.email } : undefined;
}

async function joinOnSignUp(db: Db, token: string): Promise<JoinOnSignUp | undefined> {
  const inv = await invitationForToken(db, token);
  return inv
    ? { orgId: inv.orgId, join: (tx, person, actor) => acceptInvitationIn(tx, inv, person, actor) }
    : undefined;
}

export function registerAccountRoutes(app: FastifyInstance, db: Db, settings: SessionSettings): void {
  app.get('/', async (request, reply) => {
    const viewer = request.viewer;
    if (viewer) {
      // Back to where the person last worked, else their only org, else the list.
      const org =
        viewer.orgs.find((o) => o.id === viewer.lastOrgId) ?? (viewer.orgs.length === 1 ? viewer.orgs[0] : undefined);
      return reply.redirect(org ? `/o/${org.slug}` : '/orgs');
    }
    return sendHtml(reply, HomePage({ ctx: pageContext(request, reply) }));
  });

  app.get<{ Querystring: { invitation?: string } }>('/signup', async (request, reply) => {
    if (request.viewer) return reply.redirect('/');
    const invitation = await signUpInvitation(db, request.query.invitation);
    return sendHtml(reply, SignUpPage({ ctx: pageContext(request, reply), form: emptyForm, invitation }));
  });

  app.post(
    '/signup',
    { config: { rateLimit: { max: 10, timeWindow: '1 hour' }, submissionGuard: false } },
    async (request, reply) => {
      const body = request.body as { invitation?: unknown } | undefined;
      const token = typeof body?.invitation === 'string' ? body.invitation : undefined;
      const invitation = token ? await signUpInvitation(db, token) : undefined;
      const render = (form: FormState) =>
        sendHtml(reply, SignUpPage({ ctx: pageContext(request, reply), form, invitation }), 422);
      if (token && !invitation) {
        return render({
          values: formValues(request.body),
          errors: {},
          message: 'This invitation is no longer open. Ask for a new one, or sign up without it.',
        });
      }
      const parsed = invitation ? parseForm(invitedSignUpSchema, request.body) : parseForm(signUpSchema, request.body);
      if (!parsed.ok) return render(parsed.form);
      try {
        const joining = invitation && token ? await joinOnSignUp(db, token) : undefined;
        const { token: session, org } = await signUp(db, sessionMeta(request), parsed.data, settings, joining);
        setSessionCookie(reply, session, settings);
        flash(
          reply,
          'success',
          joining ? `Welcome! You joined ${org.name} as ${org.role}.` : `Welcome! ${org.name} is ready.`,
        );
        return reply.redirect(`/o/${org.slug}`, 303);
      } catch (err) {
        if (err instanceof WrongAccountError)
          return render({
            values: formValues(request.body),
            errors: { email: `${err.message} Sign up with that address.` },
          });
        if (!(err instanceof ValidationError)) throw err;
        return render({ values: formValues(request.body), errors: err.fieldErrors });
      }
    },
  );

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
      throw new TooManyRequestsError(
        `Too many attempts for this account. Please wait ${Math.ceil(r.ttlInSeconds / 60)} minutes and try again.`,
      );
    }
  };

  app.post<{ Querystring: Query }>(
    '/login',
    { preHandler: [perIp, perAccount], config: { submissionGuard: false } },
    async (request, reply) => {
      const next = safeNext(request.query.next);
      const parsed = parseForm(logInSchema, request.body);
      if (!parsed.ok)
        return sendHtml(reply, LogInPage({ ctx: pageContext(request, reply), form: parsed.form, next }), 422);
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
    },
  );

  // `next` lets a page sign the person out and continue (an invitation for another address).
  app.post('/logout', async (request, reply) => {
    if (request.sessionIdHash) await logOut(db, sessionMeta(request), request.sessionIdHash);
    clearSessionCookie(reply);
    flash(reply, 'info', 'You have been signed out.');
    return reply.redirect(safeNext((request.body as { next?: unknown } | undefined)?.next) ?? '/login', 303);
  });
}
