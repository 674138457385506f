// What operators do with a monthly report from the back-office: build it again (its stored form
// cannot be read by this version, or its figures were computed before a fix). One build at a time:
// a month whose build waits or runs is refused, so a second click queues nothing.
import { sql } from 'kysely';
import { asStaffInOrg } from '../../core/admin/staff-check.ts';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db, Tx } from '../../core/db/pool.ts';
import { ConflictError, NotFoundError } from '../../core/http/errors.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { REPORT_AUDIT } from './audit.ts';
import { monthLabel } from './month.ts';
import { buildMonthly } from './tasks.ts';

/** The builds of one org's month, newest first (the scheduled build of every org is not among them). */
export function buildsOfMonth(tx: Tx, orgId: string, month: string, limit = 10) {
  return tx
    .selectFrom('task_runs as r')
    .leftJoin('users as u', 'u.id', 'r.created_by')
    .select([
      'r.id',
      'r.status',
      'r.created_at',
      'r.finished_at',
      'r.error',
      'r.created_by',
      'u.name as created_by_name',
    ])
    .where('r.org_id', '=', orgId)
    .where('r.task', '=', buildMonthly.name)
    .where(sql<boolean>`r.input->>'month' = ${month}`)
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .execute();
}

const UNFINISHED = new Set(['queued', 'running', 'retrying']);

export async function rebuildReportAsStaff(
  db: Db,
  actor: UserActor,
  orgId: string,
  month: string,
  seen: string | undefined,
  reason: string,
): Promise<{ runId: string }> {
  return asStaffInOrg(db, actor, orgId, 'staff:operator', async (tx) => {
    // Locked, so that two rebuilds asked at once queue one build.
    const r = await tx
      .selectFrom('monthly_reports')
      .select('generated_at')
      .where('org_id', '=', orgId)
      .where('month', '=', month)
      .forUpdate()
      .executeTakeFirst();
    if (!r) throw new NotFoundError('There is no report for that month.');
    if (seen !== undefined && r.generated_at.toISOString() !== seen)
      throw new ConflictError('This report was built again since the page was opened: nothing was queued.');
    const pending = (await buildsOfMonth(tx, orgId, month)).find((b) => UNFINISHED.has(b.status));
    if (pending)
      throw new ConflictError(`A build of ${monthLabel(month)} is already ${pending.status}: nothing more was queued.`);
    const runId = await enqueue(tx, buildMonthly, { orgId, month }, { orgId, createdBy: actor.userId });
    await recordAudit(tx, {
      orgId,
      actor,
      action: REPORT_AUDIT.rebuild_requested,
      target: { type: 'monthly_report', id: month },
      changes: { reason, run_id: runId },
    });
    return { runId };
  });
}
