// Housekeeping: each cleanup is its own task with its own schedule, so each has its own run
// row (and its own retry) and one failing never hides another. A cleanup is a function that
// deletes what has expired and says how many rows went; cleanup() turns it into both.
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppServices } from '../app-services.ts';
import { auditActions } from '../audit/actions.ts';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.ts';
import type { Db, Tx } from '../db/pool.ts';
import { withUser } from '../db/tenancy.ts';
import { defineSchedule, defineTask, type RunnableTask, type Schedule } from './tasks.ts';

export type Cleanup = { task: RunnableTask; schedule: Schedule };

/** Deletes what has expired; returns how many rows (or a few named counts) went. */
export type Remove = (db: Db, now: Date, services: AppServices) => Promise<number | Record<string, number>>;

/** A daily cleanup task and its schedule; the counts are the run's result. */
export function cleanup(spec: { name: string; label: string; cron: string; remove: Remove }): Cleanup {
  const task = defineTask({
    name: spec.name,
    label: spec.label,
    input: z.object({}).strict(),
    maxAttempts: 3,
    run: async (_input, ctx) => {
      const r = await spec.remove(ctx.db, new Date(), ctx);
      return typeof r === 'number' ? { deleted: r } : r;
    },
  });
  return {
    task,
    schedule: defineSchedule({ identifier: spec.name, cron: spec.cron, task, input: {}, backfillHours: 6 }),
  };
}

/** What the nightly cleanups write: one entry per cleanup that deleted something. */
export const HOUSEKEEPING_AUDIT = auditActions('housekeeping', ['deleted']);

/**
 * A cleanup of platform tables: one transaction outside any org, and an org-less audit
 * entry with the count in the same transaction.
 */
export function deleting(name: string, remove: (tx: Tx, now: Date) => Promise<number>): Remove {
  return (db, now) =>
    withUser(db, null, async (tx) => {
      const deleted = await remove(tx, now);
      if (deleted > 0)
        await recordAudit(tx, {
          orgId: null,
          actor: SYSTEM_ACTOR,
          action: HOUSEKEEPING_AUDIT.deleted,
          changes: { cleanup: name, deleted },
        });
      return deleted;
    });
}

const DAY = 24 * 3600_000;
const ago = (now: Date, days: number) => new Date(now.getTime() - days * DAY);
const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);

export async function deleteExpiredSessions(tx: Tx, now: Date): Promise<number> {
  return count(await tx.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst());
}

/** Expired or used single-use links, a week after the fact (recent ones explain "this link no longer works"). */
export async function deleteOldUserTokens(tx: Tx, now: Date): Promise<number> {
  const cutoff = ago(now, 7);
  return count(
    await tx
      .deleteFrom('user_tokens')
      .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('used_at', '<', cutoff)]))
      .executeTakeFirst(),
  );
}

/** Unanswered invitations 30 days past their expiry; the audit log keeps who invited whom. */
export async function deleteExpiredInvitations(tx: Tx, now: Date): Promise<number> {
  const r = await sql<{ n: number }>`select delete_expired_invitations(${ago(now, 30)}) as n`.execute(tx);
  return r.rows[0]?.n ?? 0;
}

/** Double-submission keys matter for minutes; a week is generous. */
export async function deleteOldFormSubmissions(tx: Tx, now: Date): Promise<number> {
  return count(await tx.deleteFrom('form_submissions').where('created_at', '<', ago(now, 7)).executeTakeFirst());
}

export async function deleteOldCspReports(tx: Tx, now: Date): Promise<number> {
  return count(await tx.deleteFrom('csp_reports').where('received_at', '<', ago(now, 90)).executeTakeFirst());
}

/** The platform's cleanups, at 03:xx UTC. A module adds its own with one cleanup({...}) line in server.ts's CLEANUPS. */
export const PLATFORM_CLEANUPS: Cleanup[] = [
  cleanup({
    name: 'housekeeping.delete_expired_sessions',
    label: 'Delete expired sessions',
    cron: '0 3 * * *',
    remove: deleting('sessions', deleteExpiredSessions),
  }),
  cleanup({
    name: 'housekeeping.delete_old_user_tokens',
    label: 'Delete old account links',
    cron: '5 3 * * *',
    remove: deleting('user_tokens', deleteOldUserTokens),
  }),
  cleanup({
    name: 'housekeeping.delete_expired_invitations',
    label: 'Delete expired invitations',
    cron: '10 3 * * *',
    remove: deleting('invitations', deleteExpiredInvitations),
  }),
  cleanup({
    name: 'housekeeping.delete_old_form_submissions',
    label: 'Delete old form submission keys',
    cron: '15 3 * * *',
    remove: deleting('form_submissions', deleteOldFormSubmissions),
  }),
  cleanup({
    name: 'housekeeping.delete_old_csp_reports',
    label: 'Delete old CSP reports',
    cron: '20 3 * * *',
    remove: deleting('csp_reports', deleteOldCspReports),
  }),
];
