import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { ROLES } from '../../core/db/schema.ts';
import { BadRequestError, ForbiddenError, NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, parseForm, type FormState } from '../../core/http/forms.ts';
import { idParam } from '../../core/http/params.ts';
import { addOrgNav, pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { canInvitations } from '../invitations/service.ts';
import { can } from './policy.ts';
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
  type OrgActor,
} from './service.ts';
import { ActivityPage, MembersPage, NewOrgPage, OrgListPage, SettingsPage } from './views.tsx';

const roleSchema = z.object({ role: z.enum(ROLES) });

/** The signed-in person as the actor of an org service call. */
function orgActor(request: FastifyRequest): OrgActor {
  const viewer = requireViewer(request);
  return { ...actorOf(request), userId: viewer.id };
}

const newOrgSchema = z.object({
  name: z.string().trim().min(1, 'Give the organization a name.').max(200, 'That name is too long.'),
});

export function registerOrgRoutes(app: FastifyInstance, db: Db): void {
  app.get('/orgs', async (request, reply) => {
    const viewer = requireViewer(request);
    return sendHtml(reply, OrgListPage({ ctx: pageContext(request, reply), orgs: viewer.orgs }));
  });

  app.get('/orgs/new', async (request, reply) => {
    requireViewer(request);
    return sendHtml(reply, NewOrgPage({ ctx: pageContext(request, reply), form: emptyForm }));
  });

  app.post('/orgs/new', { config: { rateLimit: { max: 20, timeWindow: '1 hour' } } }, async (request, reply) => {
    const viewer = requireViewer(request);
    const parsed = parseForm(newOrgSchema, request.body);
    if (!parsed.ok) return sendHtml(reply, NewOrgPage({ ctx: pageContext(request, reply), form: parsed.form }), 422);
    const org = await createOrganization(db, { ...actorOf(request), userId: viewer.id }, parsed.data.name);
    flash(reply, 'success', `${org.name} is ready. You are its owner.`);
    return reply.redirect(`/o/${org.slug}`, 303);
  });
}

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
      await rememberOrg(db, org, viewer.id, request.sessionIdHash);
  });
}

/** The org's own pages, registered inside orgScope. */
export function registerOrgPages(scope: FastifyInstance, db: Db): void {
  addOrgNav({ label: 'Members', path: '/members', order: 80, more: true });
  addOrgNav({
    label: 'Activity',
    path: '/activity',
    order: 90,
    show: (org) => can(org, 'org.view_activity'),
    more: true,
  });
  addOrgNav({
    label: 'Settings',
    path: '/settings',
    order: 95,
    show: (org) => can(org, 'org.manage_settings'),
    more: true,
  });

  scope.get('/members', async (request, reply) => {
    const org = requireOrg(request);
    const data = await members(db, org, requireViewer(request).id);
    const rights = {
      changeRole: can(org, 'member.change_role'),
      remove: can(org, 'member.remove'),
      viewTwoFactor: can(org, 'org.view_two_factor'),
      setLimit: can(org, 'member.set_approval_limit'),
      invite: canInvitations(org, 'invitation.create'),
      isOwner: org.role === 'owner',
    };
    return sendHtml(
      reply,
      MembersPage({ ctx: pageContext(request, reply), members: data.members, currency: data.currency, rights }),
    );
  });

  scope.post('/members/:userId/role', async (request, reply) => {
    const org = requireOrg(request);
    const userId = idParam(request.params, 'userId');
    const parsed = roleSchema.safeParse(request.body);
    if (!parsed.success) throw new BadRequestError('Choose one of the listed roles.');
    const r = await changeRole(db, orgActor(request), org, userId, parsed.data.role);
    flash(
      reply,
      r.changed ? 'success' : 'info',
      r.changed ? `${r.name} is now ${parsed.data.role}.` : `${r.name} already was ${parsed.data.role}.`,
    );
    return reply.redirect(`/o/${org.slug}/members`, 303);
  });

  scope.post('/members/:userId/limit', async (request, reply) => {
    const org = requireOrg(request);
    const userId = idParam(request.params, 'userId');
    const limit = (request.body as { limit?: unknown } | undefined)?.limit;
    if (typeof limit !== 'string' || limit.length > 30)
      throw new BadRequestError('Enter an amount, or leave it empty for no limit.');
    try {
      const r = await setApprovalLimit(db, orgActor(request), org, userId, limit);
      flash(
        reply,
        'success',
        r.limit === null ? `${r.name} can approve any amount.` : `${r.name}'s approval limit is saved.`,
      );
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      flash(reply, 'error', err.fieldErrors.limit ?? err.message);
    }
    return reply.redirect(`/o/${org.slug}/members`, 303);
  });

  scope.post('/members/:userId/remove', async (request, reply) => {
    const org = requireOrg(request);
    const r = await removeMember(db, orgActor(request), org, idParam(request.params, 'userId'));
    flash(reply, 'success', `${r.name} was removed from ${org.name}.`);
    return reply.redirect(`/o/${org.slug}/members`, 303);
  });

  scope.post('/leave', async (request, reply) => {
    const org = requireOrg(request);
    await leaveOrg(db, orgActor(request), org);
    flash(reply, 'success', `You left ${org.name}.`);
    return reply.redirect('/orgs', 303);
  });

  scope.get('/settings', async (request, reply) => {
    const org = requireOrg(request);
    const data = await orgSettings(db, orgActor(request), org);
    return sendHtml(
      reply,
      SettingsPage({
        ctx: pageContext(request, reply),
        form: { values: data.values, errors: {} },
        currencies: data.currencies,
      }),
    );
  });

  scope.post('/settings', async (request, reply) => {
    const org = requireOrg(request);
    const actor = orgActor(request);
    const rerender = async (form: FormState) => {
      const data = await orgSettings(db, actor, org);
      return sendHtml(
        reply,
        SettingsPage({ ctx: pageContext(request, reply), form, currencies: data.currencies }),
        422,
      );
    };
    const parsed = parseForm(settingsSchema, request.body);
    if (!parsed.ok) return rerender(parsed.form);
    try {
      const r = await updateOrgSettings(db, actor, org, parsed.data);
      flash(reply, r.changed.length ? 'success' : 'info', r.changed.length ? 'Settings saved.' : 'Nothing changed.');
      return reply.redirect(`/o/${org.slug}/settings`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return rerender({ values: formValues(request.body), errors: err.fieldErrors });
    }
  });

  scope.get<{ Querystring: { before?: string } }>('/activity', async (request, reply) => {
    const before = /^\d{1,18}$/.test(request.query.before ?? '') ? request.query.before : undefined;
    const data = await activity(db, requireOrg(request), requireViewer(request).id, before);
    return sendHtml(
      reply,
      ActivityPage({ ctx: pageContext(request, reply), ...data, canRetry: can(requireOrg(request), 'task.retry') }),
    );
  });

  scope.post('/activity/runs/:runId/retry', async (request, reply) => {
    const org = requireOrg(request);
    const r = await retryRun(db, orgActor(request), org, idParam(request.params, 'runId'));
    flash(reply, 'success', `“${r.label}” will run again. Its progress shows below.`);
    return reply.redirect(`/o/${org.slug}/activity#runs`, 303);
  });
}
