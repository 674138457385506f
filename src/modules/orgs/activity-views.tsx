// The Activity page: the audit log and the background task runs.
import type { AuditChanges } from '../../core/audit/audit.ts';
import type { RunRow, TaskStatus } from '../../core/tasks/runs.ts';
import { DataTable, StatusBadge, type Column, type StatusKind } from '../../core/views/data-table.tsx';
import { Card, CsrfField, EmptyState, PageHeader, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';

type AuditRow = {
  id: string;
  action: string;
  target_type: string | null;
  changes: AuditChanges;
  created_at: Date;
  ip: string | null;
  actor_name: string | null;
  actor_email: string | null;
};

/** What a run's status says to a person. */
export const RUN_STATUS: StatusKind<TaskStatus> = {
  queued: { label: 'Queued', tone: 'neutral' },
  running: { label: 'Running', tone: 'blue' },
  retrying: { label: 'Failed, will retry', tone: 'amber' },
  succeeded: { label: 'Done', tone: 'green' },
  failed: { label: 'Failed for good', tone: 'red' },
};

/** "0.4 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function RunDuration({ run }: { run: RunRow }) {
  if (!run.started_at) return <span class="muted">waiting</span>;
  if (!run.finished_at)
    return <span class="muted">{run.status === 'retrying' ? 'between attempts' : 'in progress'}</span>;
  return <>{formatDuration(run.finished_at.getTime() - run.started_at.getTime())}</>;
}

/**
 * The org's background work. A run that failed for good says so in words and never shows
 * progress; with `retry`, such a run gets a Retry button (once: a retried run links to its retry).
 */
export function RunTable({
  runs,
  zone,
  retry,
}: {
  runs: (RunRow & { label: string })[];
  zone: string;
  retry?: { slug: string; csrfToken: string };
}) {
  type Run = RunRow & { label: string };
  const columns: Column<Run>[] = [
    {
      header: 'Task',
      cell: (r) => (
        <>
          {r.label}
          {r.retry_of && <div class="muted small">Retry of an earlier run</div>}
        </>
      ),
    },
    {
      header: 'Status',
      cell: (r) => (
        <>
          <StatusBadge kind={RUN_STATUS} status={r.status} />
          {r.progress_total && (r.status === 'running' || r.status === 'queued') ? (
            <progress max={r.progress_total} value={r.progress_done ?? 0}>
              {r.progress_done} of {r.progress_total}
            </progress>
          ) : null}
        </>
      ),
    },
    { header: 'Started by', secondary: true, cell: (r) => r.started_by_name ?? <span class="muted">System</span> },
    {
      header: 'Started',
      class: 'nowrap',
      cell: (r) => (r.started_at ? <Time value={r.started_at} zone={zone} /> : <span class="muted">not yet</span>),
    },
    { header: 'Duration', class: 'nowrap', secondary: true, cell: (r) => <RunDuration run={r} /> },
    { header: 'Attempts', secondary: true, cell: (r) => `${r.attempts} / ${r.max_attempts}` },
    {
      header: 'Details',
      class: 'small',
      cell: (r) => (
        <>
          {r.error && <div class="run-error">{r.error}</div>}
          {r.status === 'failed' &&
            (r.retried_by ? (
              <span class="muted">Retried (see the newer run).</span>
            ) : retry ? (
              <form method="post" action={`/o/${retry.slug}/activity/runs/${r.id}/retry`} class="inline-form">
                <CsrfField token={retry.csrfToken} />
                <button class="button button-small" type="submit">
                  Retry
                </button>
              </form>
            ) : null)}
        </>
      ),
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={runs}
      rowId={(r) => `run-${r.id}`}
      caption="Background work"
      empty={{
        title: 'No background work yet',
        children: 'Imports, exports and emails will show their progress here.',
      }}
    />
  );
}

export function ActivityPage({
  ctx,
  entries,
  runs,
  nextBefore,
  canRetry,
}: {
  ctx: PageContext;
  entries: AuditRow[];
  runs: (RunRow & { label: string })[];
  nextBefore: string | undefined;
  canRetry: boolean;
}) {
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const slug = ctx.org?.slug ?? '';
  return (
    <Layout ctx={ctx} title="Activity">
      <PageHeader title="Activity" subtitle="Who did what, and when. Entries cannot be edited or deleted." />
      <Card title="Audit log">
        {entries.length === 0 ? (
          <EmptyState title="Nothing recorded yet" />
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>What</th>
                  <th>Details</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr>
                    <td class="nowrap">
                      <Time value={e.created_at} zone={zone} />
                    </td>
                    <td>
                      {e.actor_name ?? 'System'}
                      {e.actor_email && <div class="muted small">{e.actor_email}</div>}
                    </td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td class="small">
                      <Changes changes={e.changes} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {nextBefore && (
          <p>
            <a href={`/o/${slug}/activity?before=${nextBefore}`}>Older entries →</a>
          </p>
        )}
      </Card>
      <section id="runs">
        <Card title="Background work">
          <RunTable runs={runs} zone={zone} retry={canRetry ? { slug, csrfToken: ctx.csrfToken } : undefined} />
        </Card>
      </section>
    </Layout>
  );
}

function Changes({ changes }: { changes: AuditChanges }) {
  const entries = Object.entries(changes);
  if (entries.length === 0) return <span class="muted">—</span>;
  return (
    <dl class="changes">
      {entries.map(([k, v]) => (
        <>
          <dt>{k.replace(/_/g, ' ')}</dt>
          <dd>{describeValue(v)}</dd>
        </>
      ))}
    </dl>
  );
}

/** A changed field reads "old → new"; other values as text. */
function describeValue(v: unknown): string {
  if (v && typeof v === 'object' && 'from' in v && 'to' in v) {
    const { from, to } = v;
    return `${describeValue(from)} → ${describeValue(to)}`;
  }
  if (v === null || v === undefined) return '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
