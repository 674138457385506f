// The "Download CSV" of a list that declares one: /staff/<name>.csv with the list page's own query
// (filters, search, sort; a bad value answers 400 like the page). The rows stream in keyset
// batches of CSV_BATCH_SIZE, each read in its own withStaff() transaction, so neither memory nor a
// transaction grows with the file; at most CSV_MAX_ROWS rows (the page says so). Every download
// writes one `staff.exported` entry with the filters, in the filtered org when there is one (its
// owners see it in their Activity), else outside any org.
import { auditActions } from '../audit/actions.ts';
import { recordAudit, type UserActor } from '../audit/audit.ts';
import { csvStream, type CsvCell } from '../csv.ts';
import type { Db, Tx } from '../db/pool.ts';
import { withOrg, withStaff, withUser } from '../db/tenancy.ts';
import { requireActor } from '../http/auth.ts';
import { route, type RouteDef } from '../http/routes.ts';
import { CSV_TYPE, sendDownload } from '../views/render.ts';
import { CSV_BATCH_SIZE, CSV_MAX_ROWS, type AdminList, type ListParams } from './list-types.ts';

/** What the back-office writes when staff download a list as CSV. */
export const STAFF_EXPORT_AUDIT = auditActions('staff', ['exported']);

type ListCsv = NonNullable<AdminList['csv']>;

export function csvPath(name: string): string {
  return `/staff/${name}.csv`;
}

export function csvRoute(list: AdminList, csv: ListCsv): RouteDef {
  return route({
    method: 'GET',
    url: csvPath(list.name),
    access: 'staff:any',
    query: list.schema,
    handler: async (request, reply, { db }) => {
      const params: ListParams = request.query;
      const actor = requireActor(request);
      await recordCsvExport(db, actor, list, csv, params);
      const name = `${csv.filename}-${new Date().toISOString().slice(0, 10)}.csv`;
      const body = csvStream(csv.header, csvRows(db, actor.userId, csv, params, CSV_MAX_ROWS));
      return sendDownload(reply, { type: CSV_TYPE, name, body });
    },
  });
}

/** Records the export with its filters and how many rows they found as it started (at most CSV_MAX_ROWS). */
async function recordCsvExport(
  db: Db,
  actor: UserActor,
  list: AdminList,
  csv: ListCsv,
  params: ListParams,
): Promise<void> {
  const { rows, orgId } = await withStaff(db, actor.userId, async (tx) => ({
    rows: Math.min(await csv.count(tx, params, CSV_MAX_ROWS), CSV_MAX_ROWS),
    orgId: params.filters.org ? await orgIdOf(tx, params.filters.org) : null,
  }));
  const write = (tx: Tx) =>
    recordAudit(tx, {
      orgId,
      actor,
      action: STAFF_EXPORT_AUDIT.exported,
      target: { type: 'admin_list', id: list.name },
      changes: { list: list.name, filters: params.filters, search: params.q ?? null, sort: params.sort, rows },
    });
  await (orgId ? withOrg(db, orgId, actor.userId, write) : withUser(db, actor.userId, write));
}

async function orgIdOf(tx: Tx, slug: string): Promise<string | null> {
  const org = await tx.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirst();
  return org?.id ?? null;
}

/** The rows, batch after batch from where the last one ended, stopping at `max`. */
async function* csvRows(
  db: Db,
  staffUserId: string,
  csv: ListCsv,
  params: ListParams,
  max: number,
): AsyncGenerator<CsvCell[]> {
  let after = params.after;
  let left = max;
  while (left > 0) {
    const limit = Math.min(CSV_BATCH_SIZE, left);
    const batch = await withStaff(db, staffUserId, (tx) => csv.batch(tx, { ...params, after }, limit));
    yield* batch.rows;
    left -= batch.rows.length;
    if (!batch.last) return;
    after = batch.last;
  }
}
