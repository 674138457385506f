// The GET routes of a declared list (/staff/<name>, staff:any) and of its record page: validated
// input, one withStaff() read through the staff read policies, the page.
import { z } from 'zod';
import { requireActor } from '../http/auth.ts';
import { NotFoundError } from '../http/errors.ts';
import { recordId } from '../http/params.ts';
import { route, type RouteDef } from '../http/routes.ts';
import { withStaff } from '../db/tenancy.ts';
import { pageContext } from '../views/context.ts';
import { sendHtml } from '../views/render.ts';
import { AdminListPage } from './list-page.tsx';
import type { AdminList, ListParams } from './list-types.ts';
import type { AdminNavGroup } from './nav.tsx';
import { AdminRecordPage } from './record-page.tsx';
import type { RecordDecl } from './record-types.ts';
import { recordHistory, recordStaffView } from './records.ts';

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

/** The record page of a list: /staff/<name>/:orgId/:<kind>Id (or /:<kind>Id for a record of no org). */
export function recordRoute(list: AdminList, record: RecordDecl, nav: readonly AdminNavGroup[]): RouteDef {
  const idParam = record.idParam;
  return route({
    method: 'GET',
    url: record.tenant ? `/staff/${list.name}/:orgId/:${idParam}` : `/staff/${list.name}/:${idParam}`,
    access: 'staff:any',
    params: z.object(record.tenant ? { orgId: recordId, [idParam]: recordId } : { [idParam]: recordId }),
    handler: async (request, reply, { db }) => {
      const p = request.params as Record<string, string>;
      const key = { orgId: record.tenant ? p.orgId! : null, id: p[idParam]! };
      const actor = requireActor(request);
      const view = { zone: request.viewer?.timeZone ?? 'UTC' };
      const found = await withStaff(db, actor.userId, async (tx) => {
        const rec = await record.load(tx, key, view);
        if (!rec) return null;
        const target = { type: record.auditTarget, id: key.id, orgId: rec.org?.id ?? null };
        return { rec, target, history: await recordHistory(tx, target) };
      });
      if (!found) throw new NotFoundError('There is no such record.');
      await recordStaffView(db, actor, found.target);
      const ctx = pageContext(request, reply);
      return sendHtml(
        reply,
        AdminRecordPage({ ctx, list, nav, topNav: STAFF_TOP_NAV, record: found.rec, history: found.history }),
      );
    },
  });
}
