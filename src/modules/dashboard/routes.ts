import { requireActor, requireOrg } from '../../core/http/auth.ts';
import { orgParams } from '../../core/http/params.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { sendHtml } from '../../core/views/render.ts';
import { financeSummary } from '../invoices/service.ts';
import { dashboard, orgPaths } from '../orgs/service.ts';
import { DashboardPage } from './views.tsx';
import { ORG_PARAM } from '../../core/http/paths.ts';

/** The org's home page: what needs the person, money waiting, spend, and the team. */
export const dashboardRoutes = [
  route({
    method: 'GET',
    url: orgPaths.home(ORG_PARAM),
    access: 'org.view',
    params: orgParams,
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const actor = requireActor(request);
      const team = await dashboard(db, actor, org);
      const finance = await financeSummary(db, actor, org);
      return sendHtml(reply, DashboardPage({ ctx: pageContext(request, reply), ...team, finance }));
    },
  }),
];
