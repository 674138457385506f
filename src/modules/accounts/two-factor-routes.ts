import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, requireViewer } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, parseForm, type FormState } from '../../core/http/forms.ts';
import type { OrgSummary } from '../../core/http/types.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { clearPendingLogin, readPendingLogin } from './pending-login.ts';
import type { SessionSettings } from './service.ts';
import { sessionMeta, setSessionCookie } from './sessions.ts';
import {
  confirmTwoFactorSetup,
  regenerateRecoveryCodes,
  startTwoFactorSetup,
  turnOffTwoFactor,
  twoFactorStatus,
} from './two-factor.ts';
import { logInWithCode } from './two-factor-login.ts';
import {
  DisableTwoFactorPage,
  LogInCodePage,
  NewRecoveryCodesPage,
  RecoveryCodesPage,
  TwoFactorPage,
} from './two-factor-views.tsx';
import { LogInPage } from './views.tsx';

const BASE = '/account/two-factor';
const code = z.string().trim().min(1, 'Enter the code.').max(40, 'That code is too long.');
const codeSchema = z.object({ code });
// Turning two-factor on needs the password too: a stolen session alone must not be able to
// bind the account to someone else's authenticator.
const confirmSchema = z.object({ password: z.string().min(1, 'Enter your current password.').max(200), code });
const disableSchema = z.object({ password: z.string().min(1, 'Enter your current password.').max(200), code });

type OrgQuery = { Querystring: { org?: string } };

/** The org that sent the person here because it requires two-factor (only one of their own). */
function requiredBy(request: FastifyRequest<OrgQuery>): OrgSummary | null {
  const slug = request.query.org;
  return requireViewer(request).orgs.find((o) => o.slug === slug && o.require2fa) ?? null;
}

function withOrg(path: string, org: OrgSummary | null): string {
  return org ? `${path}?org=${encodeURIComponent(org.slug)}` : path;
}

function refused(request: FastifyRequest, err: unknown): FormState {
  if (!(err instanceof ValidationError)) throw err;
  return { values: formValues(request.body), errors: err.fieldErrors };
}

/** The person's own two-factor settings: set up, confirm, new recovery codes, turn off. */
export function registerTwoFactorRoutes(app: FastifyInstance, db: Db): void {
  // Each attempt at a code is a guess: a few per person per few minutes is plenty.
  const perPerson = app.rateLimit({
    max: 10,
    timeWindow: '5 minutes',
    keyGenerator: (req) => `two-factor:${req.viewer?.id ?? req.ip}`,
  });

  const showStatus = async (request: FastifyRequest<OrgQuery>, reply: FastifyReply, form: FormState, code = 200) => {
    const viewer = requireViewer(request);
    const status = await twoFactorStatus(db, actorOf(request), viewer.id);
    return sendHtml(
      reply,
      TwoFactorPage({ ctx: pageContext(request, reply), status, requiredBy: requiredBy(request), form }),
      code,
    );
  };

  app.get<OrgQuery>(BASE, async (request, reply) => showStatus(request, reply, emptyForm));

  app.post<OrgQuery>(`${BASE}/setup`, async (request, reply) => {
    const viewer = requireViewer(request);
    await startTwoFactorSetup(db, actorOf(request), viewer.id);
    return reply.redirect(withOrg(BASE, requiredBy(request)), 303);
  });

  app.post<OrgQuery>(`${BASE}/confirm`, { preHandler: perPerson }, async (request, reply) => {
    const viewer = requireViewer(request);
    const parsed = parseForm(confirmSchema, request.body);
    if (!parsed.ok) return showStatus(request, reply, parsed.form, 422);
    try {
      const codes = await confirmTwoFactorSetup(db, actorOf(request), viewer.id, parsed.data, request.sessionIdHash);
      const ctx = pageContext(request, reply);
      ctx.flash.push({ kind: 'success', text: 'Two-factor authentication is on.' });
      return sendHtml(
        reply,
        RecoveryCodesPage({ ctx, codes, requiredBy: requiredBy(request), title: 'Two-factor authentication is on' }),
      );
    } catch (err) {
      return showStatus(request, reply, refused(request, err), 422);
    }
  });

  app.get(`${BASE}/recovery-codes`, async (request, reply) => {
    requireViewer(request);
    return sendHtml(reply, NewRecoveryCodesPage({ ctx: pageContext(request, reply), form: emptyForm }));
  });

  app.post(`${BASE}/recovery-codes`, { preHandler: perPerson }, async (request, reply) => {
    const viewer = requireViewer(request);
    const parsed = parseForm(codeSchema, request.body);
    if (!parsed.ok)
      return sendHtml(reply, NewRecoveryCodesPage({ ctx: pageContext(request, reply), form: parsed.form }), 422);
    try {
      const codes = await regenerateRecoveryCodes(db, actorOf(request), viewer.id, parsed.data.code);
      return sendHtml(
        reply,
        RecoveryCodesPage({ ctx: pageContext(request, reply), codes, requiredBy: null, title: 'New recovery codes' }),
      );
    } catch (err) {
      return sendHtml(
        reply,
        NewRecoveryCodesPage({ ctx: pageContext(request, reply), form: refused(request, err) }),
        422,
      );
    }
  });

  app.get(`${BASE}/disable`, async (request, reply) => {
    requireViewer(request);
    return sendHtml(reply, DisableTwoFactorPage({ ctx: pageContext(request, reply), form: emptyForm }));
  });

  app.post(`${BASE}/disable`, { preHandler: perPerson }, async (request, reply) => {
    const viewer = requireViewer(request);
    const parsed = parseForm(disableSchema, request.body);
    if (!parsed.ok)
      return sendHtml(reply, DisableTwoFactorPage({ ctx: pageContext(request, reply), form: parsed.form }), 422);
    try {
      await turnOffTwoFactor(db, actorOf(request), viewer.id, parsed.data);
    } catch (err) {
      return sendHtml(
        reply,
        DisableTwoFactorPage({ ctx: pageContext(request, reply), form: refused(request, err) }),
        422,
      );
    }
    flash(reply, 'success', 'Two-factor authentication is off.');
    return reply.redirect(BASE, 303);
  });
}

/** The second step of signing in, for people with two-factor on (the first is POST /login). */
export function registerLogInCodeRoutes(app: FastifyInstance, db: Db, settings: SessionSettings): void {
  const expired = (reply: FastifyReply) => {
    clearPendingLogin(reply);
    flash(reply, 'error', 'Your sign-in expired before the code was entered. Please sign in again.');
    return reply.redirect('/login', 303);
  };

  app.get('/login/two-factor', async (request, reply) => {
    if (request.viewer) return reply.redirect('/');
    if (!readPendingLogin(request)) return expired(reply);
    return sendHtml(reply, LogInCodePage({ ctx: pageContext(request, reply), form: emptyForm }));
  });

  const perIp = app.rateLimit({ max: 20, timeWindow: '5 minutes', keyGenerator: (req) => `login-code-ip:${req.ip}` });

  app.post('/login/two-factor', { preHandler: perIp, config: { submissionGuard: false } }, async (request, reply) => {
    const pending = readPendingLogin(request);
    if (!pending) return expired(reply);
    const parsed = parseForm(codeSchema, request.body);
    if (!parsed.ok) return sendHtml(reply, LogInCodePage({ ctx: pageContext(request, reply), form: parsed.form }), 422);
    const outcome = await logInWithCode(
      db,
      sessionMeta(request),
      pending.userId,
      parsed.data.code,
      settings,
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
        return sendHtml(reply, LogInCodePage({ ctx: pageContext(request, reply), form }), 401);
      }
      case 'signed_in':
        clearPendingLogin(reply);
        setSessionCookie(reply, outcome.token, settings);
        if (outcome.via === 'recovery_code')
          flash(reply, 'info', 'You signed in with a recovery code. It cannot be used again.');
        return reply.redirect(pending.next ?? '/', 303);
    }
  });
}
