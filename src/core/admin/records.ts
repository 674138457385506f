// Record pages of the back-office: where a list's row leads. The page is read in one withStaff()
// transaction (the record, then its history from the audit log), and each opening writes one
// `staff.viewed` entry in the record's org, so its owners see in Activity that support looked.
import { auditActions } from '../audit/actions.ts';
import { auditEntriesWithPeople, recordAudit, withAuditChanges, type UserActor } from '../audit/audit.ts';
import type { Db, Tx } from '../db/pool.ts';
import { withOrg, withUser } from '../db/tenancy.ts';

/** What the back-office writes when staff open a customer's record page. */
export const STAFF_VIEW_AUDIT = auditActions('staff', ['viewed']);

/** The address of a record page of this list. */
export function recordPath(list: string, key: { orgId?: string | null; id: string }): string {
  return key.orgId ? `/staff/${list}/${key.orgId}/${key.id}` : `/staff/${list}/${key.id}`;
}

export const HISTORY_SHOWN = 50;

/** The audit entries that name this record, newest first, with who acted and who impersonated them. */
export async function recordHistory(tx: Tx, target: { type: string; id: string; orgId: string | null }) {
  let q = auditEntriesWithPeople(tx)
    .leftJoin('organizations as o', 'o.id', 'a.org_id')
    .select('o.slug as org_slug')
    .where('a.target_type', '=', target.type)
    .where('a.target_id', '=', target.id);
  q = target.orgId ? q.where('a.org_id', '=', target.orgId) : q;
  return withAuditChanges(await q.orderBy('a.id', 'desc').limit(HISTORY_SHOWN).execute());
}

export type HistoryRow = Awaited<ReturnType<typeof recordHistory>>[number];

/** One entry per opening of a record page, in the record's org (or outside any org). */
export async function recordStaffView(
  db: Db,
  actor: UserActor,
  target: { type: string; id: string; orgId: string | null },
): Promise<void> {
  const write = (tx: Tx) =>
    recordAudit(tx, {
      orgId: target.orgId,
      actor,
      action: STAFF_VIEW_AUDIT.viewed,
      target: { type: target.type, id: target.id },
    });
  await (target.orgId ? withOrg(db, target.orgId, actor.userId, write) : withUser(db, actor.userId, write));
}
