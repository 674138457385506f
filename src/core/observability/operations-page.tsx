// The operations overview (/staff/operations): what is failing, whether the queue keeps up, what
// the CSP blocks, whether mail goes out. Numbers link to the lists that hold the records.
import type { ComponentChildren } from 'preact';
import { OrgLink, recordHref, When } from '../admin/cells.tsx';
import { verificationStatus } from '../audit/verifications.ts';
import { chainName } from '../audit/verify.ts';
import { StaffLayout, type StaffNavEntry } from '../admin/layout.tsx';
import { AdminSideNav, type AdminNavGroup } from '../admin/nav.tsx';
import { MAIL_TONE } from '../mail/mail-status.ts';
import { TASK_STATUS, TASK_STATUSES } from '../tasks/task-status.ts';
import { BarList } from '../views/charts.tsx';
import { Badge, Card, PageHeader } from '../views/components.tsx';
import type { PageContext } from '../views/context.ts';
import { DataTable } from '../views/data-table.tsx';
import { CspCard } from './operations-csp.tsx';
import { FAILING_SHOWN, type Overview, type StateCount } from './operations-read.ts';

export const OPERATIONS_PAGE = { name: 'operations', title: 'Overview', area: 'Operations', order: 0 } as const;

export const number = (n: number) => n.toLocaleString('en-GB');

/** "40 s", "12 min", "3 h 5 min", "2 days": how long something has waited. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} days`;
}

function Stat(props: { label: string; value: string; hint?: string; alert?: boolean }) {
  return (
    <div class={props.alert ? 'stat stat-alert' : 'stat'}>
      <span class="stat-label">{props.label}</span>
      <span class="stat-value">{props.value}</span>
      {props.hint && <span class="muted small">{props.hint}</span>}
    </div>
  );
}

/** Every state, in the catalog's order, with its counts (0 for a state nothing is in). */
function allStates<S extends string>(
  states: readonly S[],
  counts: readonly StateCount<S>[],
  open: readonly S[],
): StateCount<S>[] {
  return states.map(
    (status) =>
      counts.find((c) => c.status === status) ?? { status, day: 0, week: 0, open: open.includes(status) ? 0 : null },
  );
}

function StateTable<S extends string>(props: {
  caption: string;
  rows: StateCount<S>[];
  label: (s: S) => ComponentChildren;
}) {
  return (
    <DataTable
      caption={props.caption}
      rows={props.rows}
      empty={{ title: 'Nothing yet' }}
      columns={[
        { header: 'State', cell: (r) => props.label(r.status) },
        { header: 'In it now', num: true, cell: (r) => (r.open === null ? '—' : number(r.open)) },
        { header: 'Made in the last 24 h', num: true, cell: (r) => number(r.day) },
        { header: 'Last 7 days', num: true, cell: (r) => number(r.week) },
      ]}
    />
  );
}

function RunsCard({ o }: { o: Overview }) {
  const rows = allStates(TASK_STATUSES, o.runs, ['queued', 'running', 'retrying']);
  return (
    <Card title="Task runs by state">
      <StateTable
        caption="Task runs by state: open ones now, whatever their age, and runs made in the last 24 hours and 7 days"
        rows={rows}
        label={(s) => (
          <a href={`/staff/task-runs?status=${s}`}>
            <Badge tone={TASK_STATUS[s].tone}>{TASK_STATUS[s].label}</Badge>
          </a>
        )}
      />
    </Card>
  );
}

function FailingCard({ o, zone }: { o: Overview; zone: string }) {
  return (
    <Card title="Still failing">
      <p class="muted small">
        Runs waiting to retry and runs that failed for good and were not retried since, newest first (at most{' '}
        {FAILING_SHOWN}; <a href="/staff/task-runs?status=failed">all failed runs</a>).
      </p>
      <DataTable
        caption="Runs that are failing"
        rows={o.failing}
        empty={{ title: 'Nothing is failing', children: 'Every run either succeeded, waits its turn or runs now.' }}
        columns={[
          {
            header: 'Task',
            class: 'nowrap',
            href: recordHref('task-runs', { tenant: false }),
            cell: (r) => <code>{r.task}</code>,
          },
          {
            header: 'Organization',
            cell: (r) => (r.slug ? <OrgLink slug={r.slug} /> : <span class="muted">platform</span>),
          },
          {
            header: 'State',
            cell: (r) => <Badge tone={TASK_STATUS[r.status].tone}>{TASK_STATUS[r.status].label}</Badge>,
          },
          { header: 'Error', class: 'break small', cell: (r) => r.error?.slice(0, 160) ?? '—' },
          { header: 'Attempts', num: true, cell: (r) => `${r.attempts} / ${r.max_attempts}` },
          { header: 'Next attempt', class: 'nowrap', cell: (r) => <When value={r.next_at} zone={zone} /> },
        ]}
      />
    </Card>
  );
}

function QueueCard({ o, now }: { o: Overview; now: Date }) {
  const q = o.queue;
  return (
    <Card title="Job queue (graphile-worker)">
      <div class="stats stats-4">
        <Stat label="Waiting, due now" value={number(q.ready)} alert={q.ready > 0 && q.workers === 0} />
        <Stat
          label="Oldest waiting"
          value={q.oldestReady ? formatAge(now.getTime() - q.oldestReady.getTime()) : '—'}
          hint="since it was due"
        />
        <Stat
          label="Running"
          value={number(q.running)}
          hint={`${q.workers} worker${q.workers === 1 ? '' : 's'} alive`}
        />
        <Stat label="Scheduled later" value={number(q.later)} hint={`${number(q.dead)} failed for good, kept`} />
      </div>
      {q.byTask.length > 0 ? (
        <BarList
          title="Waiting jobs by task"
          points={q.byTask.map((t) => ({
            label: t.task,
            value: t.waiting,
            display: t.oldest
              ? `${number(t.waiting)} · ${formatAge(now.getTime() - t.oldest.getTime())}`
              : number(t.waiting),
          }))}
        />
      ) : (
        <p class="muted">No job is waiting.</p>
      )}
    </Card>
  );
}

function MailCard({ o }: { o: Overview }) {
  const rows = allStates(['queued', 'sending', 'sent', 'failed'] as const, o.mail, ['queued', 'sending']);
  return (
    <Card title="Mail outbox by delivery state">
      <StateTable
        caption="Messages by delivery state: those still waiting or sending now, and messages queued in the last 24 hours and 7 days"
        rows={rows}
        label={(s) => (
          <a href={`/staff/mail?status=${s}`}>
            <Badge tone={MAIL_TONE[s]}>{s}</Badge>
          </a>
        )}
      />
    </Card>
  );
}

const VERDICT = {
  ok: { tone: 'green', label: 'Intact' },
  stale: { tone: 'amber', label: 'Not verified lately' },
  never: { tone: 'amber', label: 'Never verified' },
  failed: { tone: 'red', label: 'Broken' },
} as const;

/**
 * The audit log's last verification. A broken chain means someone changed or removed entries
 * past the database's triggers: it leads the page, in red, with the entry where it breaks.
 */
function AuditCard({ o, now, zone }: { o: Overview; now: Date; zone: string }) {
  const last = o.audit;
  const status = verificationStatus(last, now);
  const verdict = VERDICT[status.level];
  const first = last?.first_failure;
  return (
    <Card title="Audit log integrity">
      {status.level === 'failed' && (
        <div class="callout callout-danger" role="alert">
          <p>
            <strong>The audit log's hash chain is broken</strong>
            {first ? (
              <>
                {' '}
                in the {chainName(first)}:{' '}
                {first.entryId ? `at entry ${first.entryId} (place ${first.seq})` : 'at its end'}. {first.message}.
              </>
            ) : (
              '.'
            )}
          </p>
          {last && last.failures > 1 && <p>{number(last.failures)} chains are broken in all.</p>}
          <p>
            Entries were changed or removed past the database's triggers. Find out who had the owner or a superuser role
            at the time; <code>ledgerworks audit verify</code> lists every broken chain.
          </p>
        </div>
      )}
      {status.level === 'never' && (
        <p class="callout" role="note">
          Never verified. The worker verifies every chain each night at 04:00 UTC; <code>ledgerworks audit verify</code>{' '}
          does it now.
        </p>
      )}
      {status.level === 'stale' && (
        <p class="callout" role="note">
          The last verification is over two days old: is the nightly task (<code>audit.verify_chains</code>) running?
        </p>
      )}
      {last && (
        <div class="stats stats-4">
          <Stat label="Verdict" value={verdict.label} alert={status.level === 'failed'} />
          <Stat
            label="Verified"
            value={formatAge(now.getTime() - last.finished_at.getTime())}
            hint={last.source === 'task' ? 'ago, by the nightly task' : 'ago, by ledgerworks audit verify'}
          />
          <Stat label="Chains" value={number(last.chains)} hint="one per organization, one for no organization" />
          <Stat label="Entries" value={number(Number(last.entries))} hint="hash and link recomputed" />
        </div>
      )}
      {last && (
        <p class="muted small">
          <Badge tone={verdict.tone}>{verdict.label}</Badge> Finished <When value={last.finished_at} zone={zone} />.
        </p>
      )}
    </Card>
  );
}

export function OperationsPage(props: {
  ctx: PageContext;
  nav: readonly AdminNavGroup[];
  topNav: readonly StaffNavEntry[];
  overview: Overview;
  now: Date;
}) {
  const { overview: o, now } = props;
  const zone = props.ctx.viewer?.timeZone ?? 'UTC';
  return (
    <StaffLayout ctx={props.ctx} title="Operations" nav={props.topNav}>
      <div class="admin-layout">
        <AdminSideNav groups={props.nav} current={OPERATIONS_PAGE.name} />
        <div class="admin-main">
          <PageHeader
            title="Operations"
            subtitle="Background work, the job queue, CSP reports, mail and the audit log's integrity, as of now."
          />
          {o.audit && !o.audit.ok && <AuditCard o={o} now={now} zone={zone} />}
          <FailingCard o={o} zone={zone} />
          <QueueCard o={o} now={now} />
          <div class="grid-2">
            <RunsCard o={o} />
            <MailCard o={o} />
          </div>
          <CspCard csp={o.csp} />
          {!(o.audit && !o.audit.ok) && <AuditCard o={o} now={now} zone={zone} />}
        </div>
      </div>
    </StaffLayout>
  );
}
