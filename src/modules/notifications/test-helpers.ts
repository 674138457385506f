// Test support for notifications: running queued tasks, reading the mail, setting preferences.
import { userActor } from '../../core/audit/audit.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import type { RunnableTask, TaskContext } from '../../core/tasks/tasks.ts';
import type { TestApp } from '../../testing/harness.ts';
import { buildInvoice } from '../../testing/factories.ts';
import type { Person, team } from '../invoices/workflow-test-helpers.ts';

type Team = Awaited<ReturnType<typeof team>>;

export const actor = (p: Person) => userActor({ requestId: 'test', ip: null }, p.id);

export const emails = (...people: Person[]) => people.map((p) => p.email).sort();

/** Helpers bound to the test file’s app (each test file has its own). */
export function notificationHelpers(t: TestApp) {
  function ctxFor(orgId: string, runId: string, transaction?: TaskContext['transaction']): TaskContext {
    return {
      ...t.services,
      runId,
      orgId,
      attempt: 1,
      maxAttempts: 5,
      db: t.db,
      progress: async () => undefined,
      transaction: transaction ?? ((fn) => withOrg(t.db, orgId, null, fn)),
    };
  }

  /** The one run of `task` in the org. */
  function runOf(orgId: string, task: RunnableTask) {
    return t.owner
      .selectFrom('task_runs')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('task', '=', task.name)
      .executeTakeFirstOrThrow();
  }

  /** Runs the queued runs of one task in the org, as the worker would, and marks them done. */
  async function runQueued(orgId: string, task: RunnableTask): Promise<unknown[]> {
    const runs = await t.owner
      .selectFrom('task_runs')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('task', '=', task.name)
      .where('status', '=', 'queued')
      .orderBy('created_at')
      .execute();
    const results: unknown[] = [];
    for (const r of runs) {
      results.push(await task.execute(r.input, ctxFor(orgId, r.id)));
      await t.owner.updateTable('task_runs').set({ status: 'succeeded' }).where('id', '=', r.id).execute();
    }
    return results;
  }

  async function mailsTo(prefix: string): Promise<string[]> {
    const rows = await t.owner
      .selectFrom('mail_outbox')
      .select('to_address')
      .where('dedupe_key', 'like', `${prefix}%`)
      .orderBy('to_address')
      .execute();
    return rows.map((r) => r.to_address);
  }

  async function draft(tm: Team, by: Person, amountMinor = 12_500) {
    return buildInvoice(t, tm.orgId, tm.vendor.id, { createdBy: by.id, amountMinor });
  }
  return { ctxFor, runOf, runQueued, mailsTo, draft };
}
