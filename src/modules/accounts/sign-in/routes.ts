import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../core/app-context.ts';
import type { Db } from '../../../core/db/pool.ts';
import { safeNext } from '../../../core/http/auth.ts';
import { ValidationError } from '../../../core/http/errors.ts';
import { emptyForm, formValues, type FormState } from '../../../core/http/forms.ts';
import { route } from '../../../core/http/routes.ts';
import { invitationForToken, WrongAccountError, acceptInvitationIn } from '../../invitations/service.ts';
import { pageContext } from '../../../core/views/context.ts';
import { flash } from '../../../core/views/flash.ts';
import { sendHtml } from '../../../core/views/render.ts';
import { fieldLimit, sharedLimit } from '../limits.ts';
import { redirectWithFlash } from '../route-helpers.ts';
import { leaveImpersonation } from '../impersonation/routes.ts';
import { logIn, logInSchema } from './log-in.ts';
import { logOut } from '../sessions/sessions.ts';
import { signUp, signUpFormSchema, type JoinOnSignUp } from './sign-up.ts';
import { setPendingLogin } from './pending-login.ts';
import { clearSessionCookie, sessionMeta, sessionSettings, setSessionCookie } from '../sessions/cookies.ts';
import { HomePage, LogInPage, SignUpPage, type SignUpInvitation } from './views.tsx';

/** Where to go after signing in: only a path on this site (safeNext), else home. */
const nextQuery = z.object({ next: z.string().optional() });

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

const CLOSED_INVITATION = 'This invitation is no longer open. Ask for a new one, or sign up without it.';

/**
 * The sign-up form again (422), with the invitation it came from. An invitation that is no longer
 * open is said first, whatever else is wrong with the form.
 */
async function signUpAgain(request: FastifyRequest, reply: FastifyReply, db: Db, form: FormState) {
  const token = form.values.invitation || undefined;
  const invitation = await signUpInvitation(db, token);
  const shown = token && !invitation ? { values: form.values, errors: {}, message: CLOSED_INVITATION } : form;
  return sendHtml(reply, SignUpPage({ ctx: pageContext(request, reply), form: shown, invitation }), 422);
}

function logInAgain(request: FastifyRequest, reply: FastifyReply, form: FormState) {
  const next = safeNext(nextQuery.parse(request.query).next);
  return sendHtml(reply, LogInPage({ ctx: pageContext(request, reply), form, next }), 422);
}

// Two limits: per address (one attacker, many accounts) and per account (many addresses, one account).
const logInPerIp = sharedLimit({ max: 20, timeWindow: '5 minutes', keyGenerator: (req) => `login-ip:${req.ip}` });
const logInPerAccount = fieldLimit({
  max: 10,
  timeWindow: '15 minutes',
  field: 'email',
  key: (email) => `login-account:${email.trim().toLowerCase()}`,
  message: (minutes) => `Too many attempts for this account. Please wait ${minutes} minutes and try again.`,
});

/** Home, sign-up, sign-in and sign-out. */
export const accountRoutes = [
  route({
    method: 'GET',
    url: '/',
    access: 'public',
    handler: async (request, reply) => {
      const viewer = request.viewer;
      if (viewer) {
        // Back to where the person last worked, else their only org, else the list.
        const org =
          viewer.orgs.find((o) => o.id === viewer.lastOrgId) ?? (viewer.orgs.length === 1 ? viewer.orgs[0] : undefined);
        return reply.redirect(org ? `/o/${org.slug}` : '/orgs');
      }
      return sendHtml(reply, HomePage({ ctx: pageContext(request, reply) }));
    },
  }),
  route({
    method: 'GET',
    url: '/signup',
    access: 'public',
    query: z.object({ invitation: z.string().optional() }),
    handler: async (request, reply, { db }) => {
      if (request.viewer) return reply.redirect('/');
      const invitation = await signUpInvitation(db, request.query.invitation);
      return sendHtml(reply, SignUpPage({ ctx: pageContext(request, reply), form: emptyForm, invitation }));
    },
  }),
  route({
    method: 'POST',
    url: '/signup',
    access: 'public',
    body: signUpFormSchema,
    options: { config: { rateLimit: { max: 10, timeWindow: '1 hour' }, submissionGuard: false } },
    example: {
      body: {
        name: 'New Person',
        email: 'new.person@example.test',
        password: 'correct horse battery staple',
        organization: 'New Org',
      },
    },
    invalid: (request, reply, { db }, form) => signUpAgain(request, reply, db, form),
    handler: async (request, reply, { db, settings }) => {
      const token = request.body.invitation || undefined;
      const invitation = await signUpInvitation(db, token);
      if (token && !invitation)
        return signUpAgain(request, reply, db, { values: formValues(request.body), errors: {} });
      const session = sessionSettings(settings);
      try {
        const joining = invitation && token ? await joinOnSignUp(db, token) : undefined;
        const { token: cookie, org } = await signUp(db, sessionMeta(request), request.body, session, joining);
        setSessionCookie(reply, cookie, session);
        flash(
          reply,
          'success',
          joining ? `Welcome! You joined ${org.name} as ${org.role}.` : `Welcome! ${org.name} is ready.`,
        );
        return await reply.redirect(`/o/${org.slug}`, 303);
      } catch (err) {
        const values = formValues(request.body);
        if (err instanceof WrongAccountError)
          return signUpAgain(request, reply, db, {
            values,
            errors: { email: `${err.message} Sign up with that address.` },
          });
        if (!(err instanceof ValidationError)) throw err;
        return signUpAgain(request, reply, db, { values, errors: err.fieldErrors });
      }
    },
  }),
  route({
    method: 'GET',
    url: '/login',
    access: 'public',
    query: nextQuery,
    handler: async (request, reply) => {
      const next = safeNext(request.query.next);
      if (request.viewer) return reply.redirect(next ?? '/');
      return sendHtml(reply, LogInPage({ ctx: pageContext(request, reply), form: emptyForm, next }));
    },
  }),
  route({
    method: 'POST',
    url: '/login',
    access: 'public',
    query: nextQuery,
    body: logInSchema,
    options: { preHandler: [logInPerIp, logInPerAccount], config: { submissionGuard: false } },
    example: { body: { email: 'nobody@example.test', password: 'not the password' } },
    invalid: (request, reply, _app, form) => logInAgain(request, reply, form),
    handler: async (request, reply, { db, settings, links }) => {
      const next = safeNext(request.query.next);
      const session = sessionSettings(settings);
      const outcome = await logIn(db, links, sessionMeta(request), request.body, session, request.sessionIdHash);
      if (outcome.kind === 'needs_code') {
        setPendingLogin(reply, { userId: outcome.userId, next });
        return reply.redirect('/login/two-factor', 303);
      }
      if (outcome.kind !== 'signed_in') {
        const message = 'That email and password do not match an account. Check both and try again.';
        const form = { values: { email: request.body.email }, errors: {}, message };
        const locked = outcome.kind === 'locked' ? outcome.until : null;
        return sendHtml(reply, LogInPage({ ctx: pageContext(request, reply), form, next, locked }), 401);
      }
      setSessionCookie(reply, outcome.token, session);
      return reply.redirect(next ?? '/', 303);
    },
  }),
  // `next` lets a page sign the person out and continue (an invitation for another address).
  route({
    method: 'POST',
    url: '/logout',
    access: 'public',
    whileImpersonating: 'allowed',
    body: z.object({ next: z.string().optional() }),
    example: { body: {} },
    handler: async (request, reply, { db, settings }: AppContext) => {
      // Signing out of an impersonation ends it and returns to the staff member's own session.
      const imp = request.viewer?.impersonation;
      if (imp) return leaveImpersonation(request, reply, db, settings, imp, 'signed_out');
      if (request.sessionIdHash) await logOut(db, sessionMeta(request), request.sessionIdHash);
      clearSessionCookie(reply);
      return redirectWithFlash(reply, safeNext(request.body.next) ?? '/login', 'info', 'You have been signed out.');
    },
  }),
];
