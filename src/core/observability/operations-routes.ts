// GET /staff/operations (any staff role): the overview, read in one staff read transaction.
import { STAFF_TOP_NAV } from '../admin/routes.ts';
import { withStaff } from '../db/tenancy.ts';
import { requireActor } from '../http/auth.ts';
import { route } from '../http/routes.ts';
import { pageContext } from '../views/context.ts';
import { sendHtml } from '../views/render.ts';
import { OPERATIONS_PAGE, OperationsPage } from './operations-page.tsx';
import { readOverview } from './operations-read.ts';

export const operationsRoutes = [
  route({
    method: 'GET',
    url: `/staff/${OPERATIONS_PAGE.name}`,
    access: 'staff:any',
    handler: async (request, reply, { db, adminNav }) => {
      const now = new Date();
      const overview = await withStaff(db, requireActor(request).userId, (tx) => readOverview(tx, now));
      const ctx = pageContext(request, reply);
      return sendHtml(reply, OperationsPage({ ctx, nav: adminNav, topNav: STAFF_TOP_NAV, overview, now }));
    },
  }),
];
