import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db/pool.ts';
import { requireActor, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { ROLES, type Role } from '../../core/roles.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, type FormState } from '../../core/http/forms.ts';
import { orgIdParams, orgParams } from '../../core/http/params.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { canInvitations } from '../invitations/service.ts';
import { can, canActOnRole, rightsFor } from './policy.ts';
import {
  activity,
  changeRole,
  createOrganization,
  leaveOrg,
  members,
  orgSettings,
  rememberOrg,
  removeMember,
  retryRun,
  setApprovalLimit,
  settingsSchema,
  updateOrgSettings,
} from './service.ts';
import { activityQuery } from './activity-filters.ts';
import { ActivityPage } from './activity-views.tsx';
import { MembersPage } from './members-views.tsx';
import { NewOrgPage, OrgListPage } from './org-list-views.tsx';
import { SettingsPage } from './settings-views.tsx';
import { orgPaths } from './paths.ts';
import { ORG_PARAM } from '../../core/http/paths.ts';

const roleSchema = z.object({ role: z.enum(ROLES, 'Choose one of the listed roles.') });

const limitSchema = z.object({
  limit: z
    .string('Enter an amount, or leave it empty for no limit.')
    .max(30, 'Enter an amount, or leave it empty for no limit.'),
});

const newOrgSchema = z.object({
  name: z.string().trim().min(1, 'Give the organization a name.').max(200, 'That name is too long.'),
});

/** The person's organizations, and a new one. */
export const accountOrgRoutes = [
  route({
    method: 'GET',
    url: orgPaths.list,
    access: 'signed-in',
    handler: async (request, reply) => {
      const viewer = requireViewer(request);
      return sendHtml(reply, OrgListPage({ ctx: pageContext(request, reply), orgs: viewer.orgs }));
    },
  }),
  route({
    method: 'GET',
    url: orgPaths.new,
    access: 'signed-in',
    handler: async (request, reply) =>
      sendHtml(reply, NewOrgPage({ ctx: pageContext(request, reply), form: emptyForm })),
  }),
  route({
    method: 'POST',
    url: orgPaths.new,
    access: 'signed-in',
    body: newOrgSchema,
    example: { body: { name: 'Another Org' } },
    options: { config: { rateLimit: { max: 20, timeWindow: '1 hour' } } },
    invalid: (request, reply, _app, form) =>
      sendHtml(reply, NewOrgPage({ ctx: pageContext(request, reply), form }), 422),
    handler: async (request, reply, { db }) => {
      const org = await createOrganization(db, requireActor(request), request.body.name);
      flash(reply, 'success', `${org.name} is ready. You are its owner.`);
      return reply.redirect(orgPaths.home(org.slug), 303);
    },
  }),
];

/**
 * Every route under /o/:org/ passes here first: the org comes from the person's own
 * memberships (read fresh this request), so another org's slug answers 404.
 */
export function orgScope(scope: FastifyInstance, db: Db): void {
  scope.addHook('onRequest', async (request, reply) => {
    const viewer = requireViewer(request);
    const slug = (request.params as { org?: string }).org;
    const org = viewer.orgs.find((o) => o.slug === slug);
    if (!org) throw new NotFoundError();
    if (org.require2fa && !viewer.twoFactorEnabled) {
      if (request.method === 'GET' || request.method === 'HEAD')
        return reply.redirect(`/account/two-factor?org=${encodeURIComponent(org.slug)}`);
      throw new ForbiddenError(`${org.name} requires two-factor authentication. Turn it on for your account first.`);
    }
    request.org = org;
    request.log = request.log.child({ orgId: org.id });
    if (request.sessionIdHash && viewer.lastOrgId !== org.id)
      await rememberOrg(db, requireActor(request), org, request.sessionIdHash);
  });
}

const memberParams = orgIdParams('userId');

async function settingsPage(request: FastifyRequest, reply: FastifyReply, db: Db, form?: FormState) {
  const data = await orgSettings(db, requireActor(request), requireOrg(request));
  const shown = form ?? { values: data.values, errors: {} };
  return sendHtml(
    reply,
    SettingsPage({
      ctx: pageContext(request, reply),
      form: shown,
      currencies: data.currencies,
      supportAccess: can(requireOrg(request), 'org.manage_support_access'),
    }),
    form ? 422 : 200,
  );
}

/** The org's own pages: members, settings, activity, leaving. */
export const orgPageRoutes = [
  route({
    method: 'GET',
    url: orgPaths.members(ORG_PARAM),
    access: 'org.view_members',
    params: orgParams,
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const actor = requireActor(request);
      const data = await members(db, actor, org);
      const rights = {
        changeRole: can(org, 'member.change_role'),
        remove: can(org, 'member.remove'),
        viewTwoFactor: can(org, 'org.view_two_factor'),
        setLimit: can(org, 'member.set_approval_limit'),
        invite: canInvitations(org, 'invitation.create'),
        on: (m: { role: Role }) => rightsFor({ org, userId: actor.userId }, m),
        grantable: ROLES.filter((r) => canActOnRole(org, r)),
      };
      return sendHtml(
        reply,
        MembersPage({ ctx: pageContext(request, reply), members: data.members, currency: data.currency, rights }),
      );
    },
  }),
  route({
    method: 'POST',
    url: orgPaths.member(ORG_PARAM, ':userId', 'role'),
    access: 'member.change_role',
    params: memberParams,
    body: roleSchema,
    example: { body: { role: 'admin' } },
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const { role } = request.body;
      const r = await changeRole(db, requireActor(request), org, request.params.userId, role);
      flash(
        reply,
        r.changed ? 'success' : 'info',
        r.changed ? `${r.name} is now ${role}.` : `${r.name} already was ${role}.`,
      );
      return reply.redirect(orgPaths.members(org.slug), 303);
    },
  }),
  route({
    method: 'POST',
    url: orgPaths.member(ORG_PARAM, ':userId', 'limit'),
    access: 'member.set_approval_limit',
    params: memberParams,
    body: limitSchema,
    example: { body: { limit: '99999999.00' } },
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      try {
        const r = await setApprovalLimit(db, requireActor(request), org, request.params.userId, request.body.limit);
        flash(
          reply,
          'success',
          r.limit === null ? `${r.name} can approve any amount.` : `${r.name}'s approval limit is saved.`,
        );
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        flash(reply, 'error', err.fieldErrors.limit ?? err.message);
      }
      return reply.redirect(orgPaths.members(org.slug), 303);
    },
  }),
  route({
    method: 'POST',
    url: orgPaths.member(ORG_PARAM, ':userId', 'remove'),
    access: 'member.remove',
    params: memberParams,
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const r = await removeMember(db, requireActor(request), org, request.params.userId);
      flash(reply, 'success', `${r.name} was removed from ${org.name}.`);
      return reply.redirect(orgPaths.members(org.slug), 303);
    },
  }),
  route({
    method: 'POST',
    url: orgPaths.leave(ORG_PARAM),
    access: 'member.leave',
    params: orgParams,
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      await leaveOrg(db, requireActor(request), org);
      flash(reply, 'success', `You left ${org.name}.`);
      return reply.redirect(orgPaths.list, 303);
    },
  }),
  route({
    method: 'GET',
    url: orgPaths.settings(ORG_PARAM),
    access: 'org.manage_settings',
    params: orgParams,
    handler: (request, reply, { db }) => settingsPage(request, reply, db),
  }),
  route({
    method: 'POST',
    url: orgPaths.settings(ORG_PARAM),
    access: 'org.manage_settings',
    params: orgParams,
    body: settingsSchema,
    example: {
      body: {
        name: 'Renamed Org',
        billing_email: 'billing@example.test',
        default_currency: 'EUR',
        approval_threshold: '1.00',
      },
    },
    invalid: (request, reply, { db }, form) => settingsPage(request, reply, db, form),
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      try {
        const r = await updateOrgSettings(db, requireActor(request), org, request.body);
        flash(reply, r.changed.length ? 'success' : 'info', r.changed.length ? 'Settings saved.' : 'Nothing changed.');
        return await reply.redirect(orgPaths.settings(org.slug), 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return settingsPage(request, reply, db, { values: formValues(request.body), errors: err.fieldErrors });
      }
    },
  }),
  route({
    method: 'GET',
    url: orgPaths.activity(ORG_PARAM),
    access: 'org.view_activity',
    params: orgParams,
    query: activityQuery,
    handler: async (request, reply, { db, tasks }) => {
      const org = requireOrg(request);
      const { before: beforeId, ...filters } = request.query;
      const data = await activity(db, requireActor(request), org, tasks, { beforeId, filters });
      return sendHtml(
        reply,
        ActivityPage({ ctx: pageContext(request, reply), ...data, filters, canRetry: can(org, 'task.retry') }),
      );
    },
  }),
  route({
    method: 'POST',
    url: orgPaths.retryRun(ORG_PARAM, ':runId'),
    access: 'task.retry',
    params: orgIdParams('runId'),
    handler: async (request, reply, { db, tasks }) => {
      const org = requireOrg(request);
      const r = await retryRun(db, requireActor(request), org, request.params.runId, tasks);
      flash(reply, 'success', `“${r.label}” will run again. Its progress shows below.`);
      return reply.redirect(orgPaths.runs(org.slug), 303);
    },
  }),
];
