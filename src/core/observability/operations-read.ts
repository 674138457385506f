// What the operations overview (/staff/operations) reads, in one staff read transaction: task runs
// by state and the ones still failing, graphile-worker's queue (its `jobs` view, read only), the
// CSP reports of the last 7 days grouped so report-only mode can be tightened from evidence, and
// the mail outbox by delivery state, and the audit log's last verification.
import { sql } from 'kysely';
import { lastVerification, type LastVerification } from '../audit/verifications.ts';
import type { Tx } from '../db/pool.ts';
import type { MailStatus } from '../mail/mail-status.ts';
import type { TaskStatus } from '../tasks/runs.ts';

export const FAILING_SHOWN = 20;
export const CSP_GROUPS_SHOWN = 25;
export const CSP_DAYS = 7;

/**
 * A state's runs or messages made in the last 24 hours and 7 days (a range of the created_at index,
 * never the whole table), and for a state that is still open (waiting, running, sending) how many
 * are in it now, however old (a partial index holds just those).
 */
export type StateCount<S> = { status: S; day: number; week: number; open: number | null };

export type FailingRun = {
  id: string;
  task: string;
  status: Extract<TaskStatus, 'failed' | 'retrying'>;
  attempts: number;
  max_attempts: number;
  error: string | null;
  updated_at: Date;
  slug: string | null;
  org_name: string | null;
  next_at: Date | null;
};

export type Queue = {
  /** Due now and waiting for a worker. */
  ready: number;
  /** Waiting for their time (a retry's backoff, a later run). */
  later: number;
  running: number;
  /** Failed for good: graphile-worker keeps them until the cleanup. */
  dead: number;
  oldestReady: Date | null;
  workers: number;
  byTask: { task: string; waiting: number; oldest: Date | null }[];
};

export type CspGroup = { directive: string; blocked: string; days: number[]; total: number };
export type Csp = { days: string[]; groups: CspGroup[]; more: number; perDay: number[]; total: number };

export type Overview = {
  runs: StateCount<TaskStatus>[];
  failing: FailingRun[];
  queue: Queue;
  csp: Csp;
  mail: StateCount<MailStatus>[];
  /** The last verification of the audit log's hash chains (null: never verified). */
  audit: LastVerification | null;
};

/** The states that are not over yet, by table: each has a partial index of just its rows. */
const OPEN_STATES = {
  task_runs: ['queued', 'running', 'retrying'],
  mail_outbox: ['queued', 'sending'],
} as const;

async function stateCounts<S extends string>(tx: Tx, table: keyof typeof OPEN_STATES): Promise<StateCount<S>[]> {
  const open = OPEN_STATES[table];
  const recent = await sql<{ status: S; day: number; week: number }>`
    select status, count(*) filter (where created_at > now() - interval '24 hours')::int as day, count(*)::int as week
      from ${sql.table(table)} where created_at > now() - interval '7 days' group by status`.execute(tx);
  const now = await sql<{ status: S; n: number }>`
    select status, count(*)::int as n from ${sql.table(table)}
     where status in (${sql.join(open.map((o) => sql.lit(o)))}) group by status`.execute(tx);
  const states = new Set<S>([...recent.rows.map((r) => r.status), ...now.rows.map((r) => r.status)]);
  return [...states].map((status) => {
    const r = recent.rows.find((x) => x.status === status);
    const isOpen = (open as readonly string[]).includes(status);
    return {
      status,
      day: r?.day ?? 0,
      week: r?.week ?? 0,
      open: isOpen ? (now.rows.find((x) => x.status === status)?.n ?? 0) : null,
    };
  });
}

/** Runs that failed and were not retried since, and runs waiting to retry, newest first, with their next attempt. */
async function failingRuns(tx: Tx): Promise<FailingRun[]> {
  const rows = await sql<FailingRun>`
    with failing as (
      select r.id, r.task, r.status, r.attempts, r.max_attempts, r.error, r.updated_at, r.job_id,
             o.slug, o.name as org_name
        from task_runs r
        left join organizations o on o.id = r.org_id
       where r.status in ('failed', 'retrying')
         and not exists (select 1 from task_runs n where n.retry_of = r.id)
       order by r.updated_at desc, r.id
       limit ${FAILING_SHOWN})
    select f.id, f.task, f.status, f.attempts, f.max_attempts, f.error, f.updated_at, f.slug, f.org_name,
           case when f.status = 'retrying' and j.locked_at is null then j.run_at end as next_at
      from failing f
      left join lateral (
        select run_at, locked_at from graphile_worker._private_jobs
         where id = f.job_id or (f.job_id is null and payload->>'runId' = f.id::text) limit 1) j on true
     order by f.updated_at desc, f.id`.execute(tx);
  return rows.rows;
}

async function queue(tx: Tx): Promise<Queue> {
  const totals = await sql<Omit<Queue, 'byTask' | 'workers'>>`
    select count(*) filter (where locked_at is null and attempts < max_attempts and run_at <= now())::int as ready,
           count(*) filter (where locked_at is null and attempts < max_attempts and run_at > now())::int as later,
           count(*) filter (where locked_at is not null)::int as running,
           count(*) filter (where locked_at is null and attempts >= max_attempts)::int as dead,
           min(run_at) filter (where locked_at is null and attempts < max_attempts and run_at <= now()) as "oldestReady"
      from graphile_worker.jobs`.execute(tx);
  const byTask = await sql<Queue['byTask'][number]>`
    select task_identifier as task, count(*)::int as waiting, min(run_at) filter (where run_at <= now()) as oldest
      from graphile_worker.jobs
     where locked_at is null and attempts < max_attempts
     group by task_identifier order by waiting desc, task limit 10`.execute(tx);
  const workers = await sql<{ n: number }>`
    select count(*)::int as n from worker_heartbeats where last_seen_at > now() - interval '1 minute'`.execute(tx);
  return { ...totals.rows[0]!, workers: workers.rows[0]!.n, byTask: byTask.rows };
}

/** The last `CSP_DAYS` days in UTC, oldest first, as YYYY-MM-DD. */
export function cspDays(now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: CSP_DAYS }, (_, i) =>
    new Date(today - (CSP_DAYS - 1 - i) * 86400_000).toISOString().slice(0, 10),
  );
}

/**
 * Reports by directive and blocked origin (a URL's path and query dropped: the origin is what a
 * policy names), counted per UTC day.
 */
async function cspReports(tx: Tx, now: Date): Promise<Csp> {
  const days = cspDays(now);
  const rows = await sql<{ directive: string; blocked: string; day: string; n: number }>`
    select coalesce(nullif(violated_directive, ''), '(none)') as directive,
           coalesce(substring(blocked_uri from '^(https?://[^/?#]+)'), nullif(blocked_uri, ''), '(none)') as blocked,
           to_char(received_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as n
      from csp_reports
     where received_at >= ${days[0]}::date::timestamp at time zone 'UTC'
     group by 1, 2, 3`.execute(tx);
  const groups = new Map<string, CspGroup>();
  const perDay = days.map(() => 0);
  for (const r of rows.rows) {
    const i = days.indexOf(r.day);
    if (i < 0) continue;
    const key = `${r.directive}\u0000${r.blocked}`;
    const g = groups.get(key) ?? { directive: r.directive, blocked: r.blocked, days: days.map(() => 0), total: 0 };
    g.days[i]! += r.n;
    g.total += r.n;
    perDay[i]! += r.n;
    groups.set(key, g);
  }
  const sorted = [...groups.values()].sort(
    (a, b) => b.total - a.total || a.directive.localeCompare(b.directive) || a.blocked.localeCompare(b.blocked),
  );
  return {
    days,
    groups: sorted.slice(0, CSP_GROUPS_SHOWN),
    more: Math.max(0, sorted.length - CSP_GROUPS_SHOWN),
    perDay,
    total: perDay.reduce((a, b) => a + b, 0),
  };
}

export async function readOverview(tx: Tx, now = new Date()): Promise<Overview> {
  return {
    runs: await stateCounts<TaskStatus>(tx, 'task_runs'),
    failing: await failingRuns(tx),
    queue: await queue(tx),
    csp: await cspReports(tx, now),
    mail: await stateCounts<MailStatus>(tx, 'mail_outbox'),
    audit: await lastVerification(tx),
  };
}
