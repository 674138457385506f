import type { FastifyInstance } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { requireOrg, requireViewer } from '../../core/http/auth.ts';
import { addOrgNav, pageContext } from '../../core/views/context.ts';
import { sendHtml } from '../../core/views/render.ts';
import { financeSummary } from '../invoices/service.ts';
import { dashboard } from '../orgs/service.ts';
import { DashboardPage } from './views.tsx';

/** The org's home page: what needs the person, money waiting, spend, and the team. */
export function registerDashboardPage(scope: FastifyInstance, db: Db): void {
  addOrgNav({ label: 'Dashboard', path: '', order: 0 });

  scope.get('/', async (request, reply) => {
    const org = requireOrg(request);
    const viewer = requireViewer(request);
    const team = await dashboard(db, org, viewer.id);
    const finance = await financeSummary(db, { userId: viewer.id }, org);
    return sendHtml(reply, DashboardPage({ ctx: pageContext(request, reply), ...team, finance }));
  });
}
