// The monthly schedule: early on the 1st (UTC), one report build per org for the month that
// just ended. The scheduled run belongs to no org, so it enqueues a run in each org.
import { z } from 'zod';
import type { Db } from '../../core/db/pool.ts';
import { withOrg, withUser } from '../../core/db/tenancy.ts';
import { defineSchedule, defineTask, enqueue } from '../../core/tasks/tasks.ts';
import { firstDaySchema, previousMonth } from './month.ts';
import { allOrgIds } from './queries.ts';
import { buildMonthly } from './tasks.ts';

/**
 * Enqueues one build per org, each in its org's own transaction. A retry enqueues them again,
 * which is harmless: a build replaces the month's report.
 */
export async function enqueueMonthlyReports(db: Db, month: string): Promise<{ month: string; orgs: number }> {
  const orgIds = await withUser(db, null, (tx) => allOrgIds(tx));
  for (const orgId of orgIds)
    await withOrg(db, orgId, null, (tx) => enqueue(tx, buildMonthly, { orgId, month }, { orgId }));
  return { month, orgs: orgIds.length };
}

export const enqueueMonthly = defineTask({
  name: 'reports.enqueue_monthly',
  label: 'Start the monthly reports',
  // No month: the one before now (what the schedule wants); a month: that one (by hand).
  input: z.object({ month: firstDaySchema.optional() }),
  maxAttempts: 3,
  run: ({ month }, ctx) => enqueueMonthlyReports(ctx.db, month ?? previousMonth(new Date())),
});

/** 04:00 UTC on the 1st; a worker that was down then catches up within two days. */
export const monthlyReportsSchedule = defineSchedule({
  identifier: 'reports.monthly',
  cron: '0 4 1 * *',
  task: enqueueMonthly,
  input: {},
  backfillHours: 48,
});
