import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { ForbiddenError, NotFoundError } from '../../core/http/errors.ts';
import { emptyForm, parseForm } from '../../core/http/forms.ts';
import { addOrgNav, pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { activity, createOrganization, dashboard, members, rememberOrg } from './service.ts';
import { ActivityPage, DashboardPage, MembersPage, NewOrgPage, OrgListPage } from './views.tsx';

const newOrgSchema = z.object({ name: z.string().trim().min(1, 'Give the organization a name.').max(200, 'That name is too long.') });

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
      if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect(`/account/two-factor?org=${encodeURIComponent(org.slug)}`);
      throw new ForbiddenError(`${org.name} requires two-factor authentication. Turn it on for your account first.`);
    }
    request.org = org;
    request.log = request.log.child({ orgId: org.id });
    if (request.sessionIdHash && viewer.lastOrgId !== org.id) await rememberOrg(db, org, viewer.id, request.sessionIdHash);
  });
}

/** The org's own pages, registered inside orgScope. */
export function registerOrgPages(scope: FastifyInstance, db: Db): void {
  addOrgNav({ label: 'Dashboard', path: '', order: 0 });
  addOrgNav({ label: 'Members', path: '/members', order: 80 });
  addOrgNav({ label: 'Activity', path: '/activity', order: 90 });

  scope.get('/', async (request, reply) => {
    const org = requireOrg(request);
    const data = await dashboard(db, org, requireViewer(request).id);
    return sendHtml(reply, DashboardPage({ ctx: pageContext(request, reply), ...data }));
  });

  scope.get('/members', async (request, reply) => {
    const list = await members(db, requireOrg(request), requireViewer(request).id);
    return sendHtml(reply, MembersPage({ ctx: pageContext(request, reply), members: list }));
  });

  scope.get<{ Querystring: { before?: string } }>('/activity', async (request, reply) => {
    const before = /^\d{1,18}$/.test(request.query.before ?? '') ? request.query.before : undefined;
    const data = await activity(db, requireOrg(request), requireViewer(request).id, before);
    return sendHtml(reply, ActivityPage({ ctx: pageContext(request, reply), ...data }));
  });
}
