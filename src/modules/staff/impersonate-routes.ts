import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db/pool.ts';
import { requireActor } from '../../core/http/auth.ts';
import { NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { formValues, type FormState } from '../../core/http/forms.ts';
import { recordId } from '../../core/http/params.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import {
  IMPERSONATION_DEFAULT_MINUTES,
  IMPERSONATION_MAX_MINUTES,
  impersonationForm,
  impersonationRefusal,
  impersonationTarget,
  sessionMeta,
  sessionSettings,
  startImpersonation,
  switchToImpersonation,
} from '../accounts/service.ts';
import { ImpersonatePage } from './impersonate-views.tsx';

// Starting an impersonation from the back-office (support and superusers). Stopping it is the
// banner's button (accounts/impersonation/routes.ts): by then the browser is the person's session.

const userParams = z.object({ userId: recordId });

async function page(request: FastifyRequest, reply: FastifyReply, db: Db, userId: string, form?: FormState) {
  const target = await impersonationTarget(db, requireActor(request).userId, userId);
  if (!target) throw new NotFoundError('There is no such account.');
  const refused = impersonationRefusal(target);
  const shown = form ?? {
    values: { minutes: String(IMPERSONATION_DEFAULT_MINUTES), org_id: target.orgs[0]?.id ?? '' },
    errors: {},
  };
  const status = refused ? 409 : form ? 422 : 200;
  return sendHtml(
    reply,
    ImpersonatePage({
      ctx: pageContext(request, reply),
      target,
      refused,
      form: shown,
      maxMinutes: IMPERSONATION_MAX_MINUTES,
    }),
    status,
  );
}

export const impersonateRoutes = [
  route({
    method: 'GET',
    url: '/staff/users/:userId/impersonate',
    access: 'staff:support',
    params: userParams,
    handler: (request, reply, { db }) => page(request, reply, db, request.params.userId),
  }),
  route({
    method: 'POST',
    url: '/staff/users/:userId/impersonate',
    summary: 'sign in as a customer (impersonation), with a reason',
    access: 'staff:support',
    params: userParams,
    body: impersonationForm,
    example: { body: { reason: 'Ticket #123', minutes: '15' } },
    invalid: (request, reply, { db }, form) =>
      page(request, reply, db, (request.params as { userId: string }).userId, form),
    handler: async (request, reply, { db, settings }) => {
      const { userId } = request.params;
      let started;
      try {
        started = await startImpersonation(db, requireActor(request), sessionMeta(request), userId, request.body);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const form = { values: formValues(request.body), errors: err.fieldErrors, message: err.message };
        return page(request, reply, db, userId, form);
      }
      switchToImpersonation(request, reply, started.token, sessionSettings(settings));
      flash(
        reply,
        'info',
        'You are now signed in as this person. The banner at the top says until when; Stop ends it.',
      );
      return reply.redirect(started.orgSlug ? `/o/${started.orgSlug}` : '/orgs', 303);
    },
  }),
];
