// The Activity page's filters: the back-office audit log's (core/admin's filter kinds), minus the
// org, which is always this one. Every query also names the org and runs in withOrg(), so row-level
// security is a second wall: an actor, target or request id of another org finds nothing.
import { z } from 'zod';
import { filterValuesSchema } from '../../core/admin/list-params.ts';
import type { FilterDecl } from '../../core/admin/lists.ts';
import { auditFilters } from '../../core/audit/filters.ts';
import { importPaths } from '../imports/service.ts';
import { invoicePaths } from '../invoices/service.ts';
import { payoutPaths } from '../payouts/service.ts';
import { vendorPaths } from '../vendors/service.ts';
import { exportPaths } from '../exports/service.ts';
import { orgPaths } from './paths.ts';

const AUDIT = auditFilters('invoice.approved, or invoice.');

export const ACTIVITY_FILTERS: readonly FilterDecl[] = [AUDIT.actor, AUDIT.action, ...AUDIT.record, AUDIT.when];

export type ActivityFilters = Readonly<Record<string, string>>;

/** The page's query: the filters, and the entry the page continues before (its "Older entries" link). */
export const activityQuery = z
  .object({
    before: z
      .string()
      .regex(/^\d{1,18}$/, 'not an entry number')
      .optional(),
  })
  .and(filterValuesSchema(ACTIVITY_FILTERS));

/** The page of the record an entry is about, where the app has one (the member: the members page). */
const RECORD_PAGES: Record<string, (slug: string, id: string) => string> = {
  invoice: invoicePaths.detail,
  payout: payoutPaths.detail,
  vendor: vendorPaths.detail,
  import: importPaths.detail,
  export: (slug) => exportPaths.list(slug),
  user: (slug, id) => `${orgPaths.members(slug)}#member-${id}`,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function recordPage(slug: string, type: string | null, id: string | null): string | null {
  const page = type ? RECORD_PAGES[type] : undefined;
  return page && id && UUID.test(id) ? page(slug, id) : null;
}
