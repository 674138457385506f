import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../core/app-context.ts';
import { requireActor, requireViewer } from '../../../core/http/auth.ts';
import { ValidationError } from '../../../core/http/errors.ts';
import { emptyForm, formValues, type FormState } from '../../../core/http/forms.ts';
import { orgSlug } from '../../../core/http/params.ts';
import { route } from '../../../core/http/routes.ts';
import type { OrgSummary } from '../../../core/http/types.ts';
import { pageContext } from '../../../core/views/context.ts';
import { flash } from '../../../core/views/flash.ts';
import { sendHtml } from '../../../core/views/render.ts';
import { clearPendingLogin, readPendingLogin } from '../sign-in/pending-login.ts';
import { sharedLimit } from '../limits.ts';
import { formPage, redirectWithFlash } from '../route-helpers.ts';
import { sessionMeta, sessionSettings, setSessionCookie } from '../sessions/cookies.ts';
import {
  confirmTwoFactorSetup,
  regenerateRecoveryCodes,
  startTwoFactorSetup,
  turnOffTwoFactor,
  twoFactorStatus,
} from './two-factor.ts';
import { logInWithCode } from './sign-in.ts';
import {
  DisableTwoFactorPage,
  LogInCodePage,
  NewRecoveryCodesPage,
  RecoveryCodesPage,
  TwoFactorPage,
} from './views.tsx';
import { LogInPage } from '../sign-in/views.tsx';

const BASE = '/account/two-factor';
const code = z.string().trim().min(1, 'Enter the code.').max(40, 'That code is too long.');
const codeSchema = z.object({ code });
// Turning two-factor on needs the password too: a stolen session alone must not be able to
// bind the account to someone else's authenticator.
const confirmSchema = z.object({ password: z.string().min(1, 'Enter your current password.').max(200), code });
const disableSchema = z.object({ password: z.string().min(1, 'Enter your current password.').max(200), code });

/** The org that sent the person here because it requires two-factor (`?org=`, one of their own). */
const orgQuery = z.object({ org: orgSlug.optional() });

function requiredBy(request: FastifyRequest): OrgSummary | null {
  const slug = orgQuery.parse(request.query).org;
  return requireViewer(request).orgs.find((o) => o.slug === slug && o.require2fa) ?? null;
}

function withOrg(path: string, org: OrgSummary | null): string {
  return org ? `${path}?org=${encodeURIComponent(org.slug)}` : path;
}

function refused(request: FastifyRequest, err: unknown): FormState {
  if (!(err instanceof ValidationError)) throw err;
  return { values: formValues(request.body), errors: err.fieldErrors };
}

// Each attempt at a code is a guess: a few per person per few minutes is plenty, across the three forms.
const perPerson = sharedLimit({
  max: 10,
  timeWindow: '5 minutes',
  keyGenerator: (req) => `two-factor:${req.viewer?.id ?? req.ip}`,
});

async function showStatus(
  request: FastifyRequest,
  reply: FastifyReply,
  { db, secrets }: AppContext,
  form: FormState,
  code = 200,
) {
  const viewer = requireViewer(request);
  const status = await twoFactorStatus(db, requireActor(request), secrets, viewer.id);
  return sendHtml(
    reply,
    TwoFactorPage({ ctx: pageContext(request, reply), status, requiredBy: requiredBy(request), form }),
    code,
  );
}

const recoveryCodesForm = formPage(NewRecoveryCodesPage);
const disableForm = formPage(DisableTwoFactorPage);

/** An authenticator's code; the access-matrix walk only needs the form to parse. */
const EXAMPLE_CODE = '123456';

/** The person's own two-factor settings: set up, confirm, new recovery codes, turn off. */
export const twoFactorRoutes = [
  route({
    method: 'GET',
    url: BASE,
    access: 'signed-in',
    query: orgQuery,
    handler: (request, reply, app) => showStatus(request, reply, app, emptyForm),
  }),
  route({
    method: 'POST',
    url: `${BASE}/setup`,
    access: 'signed-in',
    query: orgQuery,
    example: { body: {} },
    handler: async (request, reply, { db, secrets }) => {
      await startTwoFactorSetup(db, requireActor(request), secrets, requireViewer(request).id);
      return reply.redirect(withOrg(BASE, requiredBy(request)), 303);
    },
  }),
  route({
    method: 'POST',
    url: `${BASE}/confirm`,
    access: 'signed-in',
    query: orgQuery,
    body: confirmSchema,
    options: { preHandler: perPerson },
    example: { body: { password: 'correct horse battery staple', code: EXAMPLE_CODE } },
    invalid: (request, reply, app, form) => showStatus(request, reply, app, form, 422),
    handler: async (request, reply, app) => {
      const viewer = requireViewer(request);
      try {
        const codes = await confirmTwoFactorSetup(
          app.db,
          requireActor(request),
          app,
          viewer.id,
          request.body,
          request.sessionIdHash,
        );
        const ctx = pageContext(request, reply);
        ctx.flash.push({ kind: 'success', text: 'Two-factor authentication is on.' });
        return sendHtml(
          reply,
          RecoveryCodesPage({ ctx, codes, requiredBy: requiredBy(request), title: 'Two-factor authentication is on' }),
        );
      } catch (err) {
        return showStatus(request, reply, app, refused(request, err), 422);
      }
    },
  }),
  route({
    method: 'GET',
    url: `${BASE}/recovery-codes`,
    access: 'signed-in',
    handler: async (request, reply) => recoveryCodesForm(request, reply, emptyForm),
  }),
  route({
    method: 'POST',
    url: `${BASE}/recovery-codes`,
    access: 'signed-in',
    body: codeSchema,
    options: { preHandler: perPerson },
    example: { body: { code: EXAMPLE_CODE } },
    invalid: (request, reply, _app, form) => recoveryCodesForm(request, reply, form, 422),
    handler: async (request, reply, app) => {
      try {
        const codes = await regenerateRecoveryCodes(
          app.db,
          requireActor(request),
          app,
          requireViewer(request).id,
          request.body.code,
        );
        return await sendHtml(
          reply,
          RecoveryCodesPage({ ctx: pageContext(request, reply), codes, requiredBy: null, title: 'New recovery codes' }),
        );
      } catch (err) {
        return recoveryCodesForm(request, reply, refused(request, err), 422);
      }
    },
  }),
  route({
    method: 'GET',
    url: `${BASE}/disable`,
    access: 'signed-in',
    handler: async (request, reply) => disableForm(request, reply, emptyForm),
  }),
  route({
    method: 'POST',
    url: `${BASE}/disable`,
    access: 'signed-in',
    body: disableSchema,
    options: { preHandler: perPerson },
    example: { body: { password: 'correct horse battery staple', code: EXAMPLE_CODE } },
    invalid: (request, reply, _app, form) => disableForm(request, reply, form, 422),
    handler: async (request, reply, app) => {
      try {
        await turnOffTwoFactor(app.db, requireActor(request), app, requireViewer(request).id, request.body);
      } catch (err) {
        return disableForm(request, reply, refused(request, err), 422);
      }
      return redirectWithFlash(reply, BASE, 'success', 'Two-factor authentication is off.');
    },
  }),
];

function expired(reply: FastifyReply) {
  clearPendingLogin(reply);
  return redirectWithFlash(
    reply,
    '/login',
    'error',
    'Your sign-in expired before the code was entered. Please sign in again.',
  );
}

const codeStep = formPage(LogInCodePage);

const codePerIp = sharedLimit({ max: 20, timeWindow: '5 minutes', keyGenerator: (req) => `login-code-ip:${req.ip}` });

/** The second step of signing in, for people with two-factor on (the first is POST /login). */
export const logInCodeRoutes = [
  route({
    method: 'GET',
    url: '/login/two-factor',
    access: 'public',
    handler: async (request, reply) => {
      if (request.viewer) return reply.redirect('/');
      if (!readPendingLogin(request)) return expired(reply);
      return codeStep(request, reply, emptyForm);
    },
  }),
  route({
    method: 'POST',
    url: '/login/two-factor',
    access: 'public',
    body: codeSchema,
    options: { preHandler: codePerIp, config: { submissionGuard: false } },
    example: { body: { code: EXAMPLE_CODE } },
    // A sign-in that expired says so before anything about the form.
    invalid: (request, reply, _app, form) =>
      readPendingLogin(request) ? codeStep(request, reply, form, 422) : expired(reply),
    handler: async (request, reply, app) => {
      const pending = readPendingLogin(request);
      if (!pending) return expired(reply);
      const session = sessionSettings(app.settings);
      const meta = sessionMeta(request);
      const outcome = await logInWithCode(
        app.db,
        app,
        meta,
        pending.userId,
        request.body.code,
        session,
        request.sessionIdHash,
      );
      switch (outcome.kind) {
        case 'expired':
          return expired(reply);
        case 'locked':
          clearPendingLogin(reply);
          return sendHtml(
            reply,
            LogInPage({ ctx: pageContext(request, reply), form: emptyForm, next: pending.next, locked: outcome.until }),
            401,
          );
        case 'failed': {
          const form = {
            values: {},
            errors: { code: 'That code is not valid. Enter the code your app shows now, or an unused recovery code.' },
          };
          return codeStep(request, reply, form, 401);
        }
        case 'signed_in':
          clearPendingLogin(reply);
          setSessionCookie(reply, outcome.token, session);
          if (outcome.via === 'recovery_code')
            flash(reply, 'info', 'You signed in with a recovery code. It cannot be used again.');
          return reply.redirect(pending.next ?? '/', 303);
      }
    },
  }),
];
