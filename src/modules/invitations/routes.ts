import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db/pool.ts';
import { ROLES } from '../../core/roles.ts';
import { requireActor, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, type FormState } from '../../core/http/forms.ts';
import { linkToken, orgIdParams, orgParams } from '../../core/http/params.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import {
  acceptInvitation,
  declineInvitation,
  invitationForToken,
  invite,
  inviteSchema,
  invitationRightsFor,
  pendingInvitations,
  resend,
  revoke,
  WrongAccountError,
} from './service.ts';
import { InvitationMessagePage, InvitationPage, InvitationsPage } from './views.tsx';
import { invitationPaths } from './paths.ts';
import { orgPaths } from '../orgs/service.ts';
import { ORG_PARAM } from '../../core/http/paths.ts';

async function invitationsPage(request: FastifyRequest, reply: FastifyReply, db: Db, form: FormState, status = 200) {
  const org = requireOrg(request);
  const actor = requireActor(request);
  const pending = await pendingInvitations(db, actor, org);
  const invitable = ROLES.filter(
    (role) => invitationRightsFor({ org, userId: actor.userId }, { role })['invitation.create'].allowed,
  );
  return sendHtml(reply, InvitationsPage({ ctx: pageContext(request, reply), form, pending, invitable }), status);
}

const invitationParams = orgIdParams('invitationId');

/** Pages of an organization: who is invited, and inviting. */
export const invitationPageRoutes = [
  route({
    method: 'GET',
    url: invitationPaths.list(ORG_PARAM),
    access: 'invitation.view',
    params: orgParams,
    handler: (request, reply, { db }) => invitationsPage(request, reply, db, emptyForm),
  }),
  route({
    method: 'POST',
    url: invitationPaths.list(ORG_PARAM),
    access: 'invitation.create',
    params: orgParams,
    body: inviteSchema,
    options: { config: { rateLimit: { max: 60, timeWindow: '1 hour' } } },
    example: { body: { email: 'accomplice@evil.test', role: 'owner' } },
    invalid: (request, reply, { db }, form) => invitationsPage(request, reply, db, form, 422),
    handler: async (request, reply, { db, links }) => {
      const org = requireOrg(request);
      try {
        await invite(db, requireActor(request), org, request.body, links);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return invitationsPage(request, reply, db, { values: formValues(request.body), errors: err.fieldErrors }, 422);
      }
      flash(reply, 'success', `Invitation sent to ${request.body.email}.`);
      return reply.redirect(invitationPaths.list(org.slug), 303);
    },
  }),
  route({
    method: 'POST',
    url: invitationPaths.action(ORG_PARAM, ':invitationId', 'resend'),
    access: 'invitation.resend',
    params: invitationParams,
    options: { config: { rateLimit: { max: 30, timeWindow: '1 hour' } } },
    example: { body: {} },
    handler: async (request, reply, { db, links }) => {
      const org = requireOrg(request);
      const r = await resend(db, requireActor(request), org, request.params.invitationId, links);
      flash(reply, 'success', `A new link was sent to ${r.email}. The previous one no longer works.`);
      return reply.redirect(invitationPaths.list(org.slug), 303);
    },
  }),
  route({
    method: 'POST',
    url: invitationPaths.action(ORG_PARAM, ':invitationId', 'revoke'),
    access: 'invitation.revoke',
    params: invitationParams,
    example: { body: {} },
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const r = await revoke(db, requireActor(request), org, request.params.invitationId);
      flash(reply, 'success', `The invitation for ${r.email} was revoked.`);
      return reply.redirect(invitationPaths.list(org.slug), 303);
    },
  }),
];

/** A token that is not one we make (null) answers like an unknown one. */
const tokenParams = z.object({ token: linkToken });

const NOT_VALID = 'This invitation link is not valid.';

function notValid(request: FastifyRequest, reply: FastifyReply) {
  return sendHtml(
    reply,
    InvitationMessagePage({
      ctx: pageContext(request, reply),
      title: 'This invitation link is not valid',
      text: 'Check that you copied the whole link from the email. If it was resent, only the newest link works.',
    }),
    404,
  );
}

/** The invitation link, for the invitee (signed in or not). */
export const invitationLinkRoutes = [
  route({
    method: 'GET',
    url: invitationPaths.link(':token'),
    access: 'public',
    params: tokenParams,
    handler: async (request, reply, { db }) => {
      const { token } = request.params;
      const inv = token ? await invitationForToken(db, token) : null;
      if (!token || !inv) return notValid(request, reply);
      return sendHtml(reply, InvitationPage({ ctx: pageContext(request, reply), inv, token }));
    },
  }),
  route({
    method: 'POST',
    url: invitationPaths.answer(':token', 'accept'),
    access: 'signed-in',
    params: tokenParams,
    example: { body: {} },
    handler: async (request, reply, { db }) => {
      const { token } = request.params;
      if (!token) throw new NotFoundError(NOT_VALID);
      try {
        const org = await acceptInvitation(db, requireActor(request), requireViewer(request), token);
        flash(reply, 'success', `Welcome to ${org.name}! You joined as ${org.role}.`);
        return await reply.redirect(orgPaths.home(org.slug), 303);
      } catch (err) {
        if (!(err instanceof WrongAccountError)) throw err;
        const inv = await invitationForToken(db, token);
        if (!inv) return notValid(request, reply);
        return sendHtml(
          reply,
          InvitationPage({ ctx: pageContext(request, reply), inv, token, notice: err.message }),
          409,
        );
      }
    },
  }),
  route({
    method: 'POST',
    url: invitationPaths.answer(':token', 'decline'),
    access: 'public',
    params: tokenParams,
    example: { body: {} },
    handler: async (request, reply, { db }) => {
      const { token } = request.params;
      if (!token) throw new NotFoundError(NOT_VALID);
      const inv = await declineInvitation(db, request.actor, token);
      return sendHtml(
        reply,
        InvitationMessagePage({
          ctx: pageContext(request, reply),
          status: 'Declined',
          title: `You declined the invitation to ${inv.orgName}`,
          text: 'Nothing was joined and the link no longer works. If this was a mistake, ask for a new invitation.',
        }),
      );
    },
  }),
];
