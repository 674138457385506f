import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, parseForm, type FormState } from '../../core/http/forms.ts';
import { idParam } from '../../core/http/params.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import {
  acceptInvitation,
  declineInvitation,
  invitationForToken,
  invite,
  inviteSchema,
  pendingInvitations,
  resend,
  revoke,
  WrongAccountError,
} from './service.ts';
import { InvitationMessagePage, InvitationPage, InvitationsPage } from './views.tsx';

function inviter(request: FastifyRequest) {
  const viewer = requireViewer(request);
  return { ...actorOf(request), userId: viewer.id, name: viewer.name };
}

/** Pages of an organization (registered inside the org scope). */
export function registerInvitationPages(scope: FastifyInstance, db: Db): void {
  const page = async (request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) => {
    const org = requireOrg(request);
    const pending = await pendingInvitations(db, inviter(request), org);
    return sendHtml(
      reply,
      InvitationsPage({ ctx: pageContext(request, reply), form, pending, canInviteOwner: org.role === 'owner' }),
      status,
    );
  };

  scope.get('/invitations', (request, reply) => page(request, reply, emptyForm));

  scope.post('/invitations', { config: { rateLimit: { max: 60, timeWindow: '1 hour' } } }, async (request, reply) => {
    const org = requireOrg(request);
    const parsed = parseForm(inviteSchema, request.body);
    if (!parsed.ok) return page(request, reply, parsed.form, 422);
    try {
      await invite(db, inviter(request), org, parsed.data);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page(request, reply, { values: formValues(request.body), errors: err.fieldErrors }, 422);
    }
    flash(reply, 'success', `Invitation sent to ${parsed.data.email}.`);
    return reply.redirect(`/o/${org.slug}/invitations`, 303);
  });

  scope.post(
    '/invitations/:invitationId/resend',
    { config: { rateLimit: { max: 30, timeWindow: '1 hour' } } },
    async (request, reply) => {
      const org = requireOrg(request);
      const r = await resend(db, inviter(request), org, idParam(request.params, 'invitationId'));
      flash(reply, 'success', `A new link was sent to ${r.email}. The previous one no longer works.`);
      return reply.redirect(`/o/${org.slug}/invitations`, 303);
    },
  );

  scope.post('/invitations/:invitationId/revoke', async (request, reply) => {
    const org = requireOrg(request);
    const r = await revoke(db, inviter(request), org, idParam(request.params, 'invitationId'));
    flash(reply, 'success', `The invitation for ${r.email} was revoked.`);
    return reply.redirect(`/o/${org.slug}/invitations`, 303);
  });
}

type TokenParams = { Params: { token: string } };

/** The invitation link, for the invitee (signed in or not). */
export function registerInvitationLinks(app: FastifyInstance, db: Db): void {
  const notValid = (request: FastifyRequest, reply: FastifyReply) =>
    sendHtml(
      reply,
      InvitationMessagePage({
        ctx: pageContext(request, reply),
        title: 'This invitation link is not valid',
        text: 'Check that you copied the whole link from the email. If it was resent, only the newest link works.',
      }),
      404,
    );

  app.get<TokenParams>('/invitations/:token', async (request, reply) => {
    const inv = await invitationForToken(db, request.params.token);
    if (!inv) return notValid(request, reply);
    return sendHtml(reply, InvitationPage({ ctx: pageContext(request, reply), inv, token: request.params.token }));
  });

  app.post<TokenParams>('/invitations/:token/accept', async (request, reply) => {
    const viewer = requireViewer(request);
    try {
      const org = await acceptInvitation(db, actorOf(request), viewer, request.params.token);
      flash(reply, 'success', `Welcome to ${org.name}! You joined as ${org.role}.`);
      return await reply.redirect(`/o/${org.slug}`, 303);
    } catch (err) {
      if (!(err instanceof WrongAccountError)) throw err;
      const inv = await invitationForToken(db, request.params.token);
      if (!inv) return notValid(request, reply);
      return sendHtml(
        reply,
        InvitationPage({ ctx: pageContext(request, reply), inv, token: request.params.token, notice: err.message }),
        409,
      );
    }
  });

  app.post<TokenParams>('/invitations/:token/decline', async (request, reply) => {
    const inv = await declineInvitation(db, actorOf(request), request.params.token);
    return sendHtml(
      reply,
      InvitationMessagePage({
        ctx: pageContext(request, reply),
        status: 'Declined',
        title: `You declined the invitation to ${inv.orgName}`,
        text: 'Nothing was joined and the link no longer works. If this was a mistake, ask for a new invitation.',
      }),
    );
  });
}
