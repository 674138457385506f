// The GET route of a declared list (/staff/<name>, staff:any): validated query, one withStaff()
// read through the staff read policies, the list page. Record pages: record-routes.ts.
import { requireActor } from '../http/auth.ts';
import { route, type RouteDef } from '../http/routes.ts';
import { withStaff } from '../db/tenancy.ts';
import { pageContext } from '../views/context.ts';
import { sendHtml } from '../views/render.ts';
import { AdminListPage } from './list-page.tsx';
import type { AdminList, ListParams } from './list-types.ts';
import type { AdminNavGroup } from './nav.tsx';

export const STAFF_TOP_NAV = [{ label: 'Home', path: '/staff' }] as const;

export function listRoute(list: AdminList, nav: readonly AdminNavGroup[]): RouteDef {
  return route({
    method: 'GET',
    url: `/staff/${list.name}`,
    access: 'staff:any',
    query: list.schema,
    handler: async (request, reply, { db }) => {
      const params: ListParams = request.query;
      const view = { zone: request.viewer?.timeZone ?? 'UTC' };
      const page = await withStaff(db, requireActor(request).userId, (tx) => list.read(tx, params, view));
      const ctx = pageContext(request, reply);
      return sendHtml(reply, AdminListPage({ ctx, list, nav, topNav: STAFF_TOP_NAV, params, page }));
    },
  });
}
