import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { requireActor, requireOrg } from '../../core/http/auth.ts';
import type { FormState } from '../../core/http/forms.ts';
import { orgIdParams, orgParams } from '../../core/http/params.ts';
import { ORG_PARAM } from '../../core/http/paths.ts';
import { route } from '../../core/http/routes.ts';
import { orgPaths } from './paths.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { formatDateTime } from '../../core/views/components.tsx';
import { sendHtml } from '../../core/views/render.ts';
import {
  grantSchema,
  grantSupportAccess,
  revokeSupportAccess,
  setSupportAccess,
  supportAccessPage,
  supportAccessSchema,
} from './support-access.ts';
import { SupportAccessPage } from './support-access-views.tsx';

// The owners' page for Ledgerworks support's access to the org (impersonation): /settings/support-access.

async function page(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  forms: { modeForm?: FormState; grantForm?: FormState } = {},
) {
  const data = await supportAccessPage(db, requireActor(request), requireOrg(request));
  const status = forms.modeForm || forms.grantForm ? 422 : 200;
  return sendHtml(
    reply,
    SupportAccessPage({ ctx: pageContext(request, reply), mode: data.supportAccess, grants: data.grants, ...forms }),
    status,
  );
}

export const supportAccessRoutes = [
  route({
    method: 'GET',
    url: orgPaths.supportAccess(ORG_PARAM),
    access: 'org.manage_support_access',
    params: orgParams,
    handler: (request, reply, { db }) => page(request, reply, db),
  }),
  route({
    method: 'POST',
    url: orgPaths.supportAccess(ORG_PARAM),
    access: 'org.manage_support_access',
    params: orgParams,
    body: supportAccessSchema,
    example: { body: { support_access: 'grant' } },
    invalid: (request, reply, { db }, form) => page(request, reply, db, { modeForm: form }),
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const mode = request.body.support_access;
      const changed = await setSupportAccess(db, requireActor(request), org, mode);
      flash(
        reply,
        changed ? 'success' : 'info',
        !changed
          ? 'Nothing changed.'
          : mode === 'grant'
            ? 'Support must now ask first: grant access below when a ticket needs it.'
            : 'Support may now sign in as a member when a ticket needs it.',
      );
      return reply.redirect(orgPaths.supportAccess(org.slug), 303);
    },
  }),
  route({
    method: 'POST',
    url: orgPaths.supportGrants(ORG_PARAM),
    access: 'org.manage_support_access',
    params: orgParams,
    body: grantSchema,
    example: { body: { days: '7' } },
    invalid: (request, reply, { db }, form) => page(request, reply, db, { grantForm: form }),
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const until = await grantSupportAccess(db, requireActor(request), org, request.body.days);
      const zone = request.viewer?.timeZone ?? 'UTC';
      flash(reply, 'success', `Support may sign in as your members until ${formatDateTime(until, zone)}.`);
      return reply.redirect(orgPaths.supportAccess(org.slug), 303);
    },
  }),
  route({
    method: 'POST',
    url: orgPaths.revokeSupportGrant(ORG_PARAM, ':grantId'),
    access: 'org.manage_support_access',
    params: orgIdParams('grantId'),
    example: { body: {} },
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      await revokeSupportAccess(db, requireActor(request), org, request.params.grantId);
      flash(reply, 'success', 'Access revoked: support can no longer sign in as your members.');
      return reply.redirect(orgPaths.supportAccess(org.slug), 303);
    },
  }),
];
