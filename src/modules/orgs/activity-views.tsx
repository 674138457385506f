// The Activity page: the audit log and the background task runs.
import type { AuditChanges } from '../../core/audit/audit.ts';
import type { RunRow } from '../../core/tasks/runs.ts';
import { DataTable, type Column } from '../../core/views/data-table.tsx';
import { StatusBadge, TASK_RUN_STATUS } from '../../core/views/status-badge.tsx';
import { Badge, Card, Time } from '../../core/views/components.tsx';
import { PostButton } from '../../core/views/forms.tsx';
import { orgPaths } from './paths.ts';
import type { PageContext } from '../../core/views/context.ts';
import { Page } from '../../core/views/page.tsx';
import type { AuditEntry as AuditRow } from './service.ts';
import { FilterField } from '../../core/admin/list-page.tsx';
import { ACTIVITY_FILTERS, recordPage, type ActivityFilters } from './activity-filters.ts';

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
          <StatusBadge kind={TASK_RUN_STATUS} status={r.status} />
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
              <PostButton
                action={orgPaths.retryRun(retry.slug, r.id)}
                csrfToken={retry.csrfToken}
                class="inline-form"
                buttonClass="button button-small"
                label="Retry"
              />
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
  filters,
  canRetry,
}: {
  ctx: PageContext;
  entries: AuditRow[];
  runs: (RunRow & { label: string })[];
  nextBefore: string | undefined;
  filters: ActivityFilters;
  canRetry: boolean;
}) {
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const slug = ctx.org?.slug ?? '';
  const filtered = Object.keys(filters).length > 0;
  return (
    <Page ctx={ctx} title="Activity" subtitle="Who did what, and when. Entries cannot be edited or deleted.">
      <Card title="Audit log">
        <form method="get" action={orgPaths.activity(slug)} class="filters activity-filters">
          <div class="admin-filter-grid">
            {ACTIVITY_FILTERS.map((f) => (
              <FilterField filter={f} values={filters} />
            ))}
          </div>
          <div class="filter-actions">
            <button class="button button-small" type="submit">
              Apply
            </button>
            {filtered && (
              <a class="button button-ghost button-small" href={orgPaths.activity(slug)}>
                Clear filters
              </a>
            )}
          </div>
          <p class="hint">
            An action ending in a dot is a prefix: <code>invoice.</code> finds every invoice action.
          </p>
        </form>
        <DataTable<AuditRow>
          columns={[
            { header: 'When', class: 'nowrap', cell: (e) => <Time value={e.created_at} zone={zone} /> },
            {
              header: 'Who',
              cell: (e) => (
                <>
                  {e.actor_name ?? 'System'}
                  {e.actor_is_staff && <Badge tone="amber">Ledgerworks support</Badge>}
                  {e.actor_email && <div class="muted small">{e.actor_email}</div>}
                  {e.impersonator_name && (
                    <div class="small impersonated-by">signed in by {e.impersonator_name} (Ledgerworks support)</div>
                  )}
                </>
              ),
            },
            { header: 'What', cell: (e) => <code>{e.action}</code> },
            { header: 'Record', class: 'small break', cell: (e) => <Target slug={slug} entry={e} /> },
            { header: 'Details', class: 'small', cell: (e) => <Changes changes={e.changes} /> },
            {
              header: 'From',
              class: 'small break',
              secondary: true,
              cell: (e) => (
                <>
                  {e.ip ?? <span class="muted">—</span>}
                  {e.request_id && <div class="muted">request {e.request_id}</div>}
                </>
              ),
            },
          ]}
          rows={entries}
          empty={
            filtered
              ? { title: 'No entries match these filters', children: 'Clear the filters to see every entry.' }
              : { title: 'Nothing recorded yet' }
          }
        />
        {nextBefore && (
          <p>
            <a href={orgPaths.activity(slug, { ...filters, before: nextBefore })}>Older entries →</a>
          </p>
        )}
      </Card>
      <section id="runs">
        <Card title="Background work">
          <RunTable runs={runs} zone={zone} retry={canRetry ? { slug, csrfToken: ctx.csrfToken } : undefined} />
        </Card>
      </section>
    </Page>
  );
}

/** The record an entry is about: a link to its page where the app has one. */
function Target({ slug, entry }: { slug: string; entry: AuditRow }) {
  if (!entry.target_type) return <span class="muted">—</span>;
  const text = `${entry.target_type.replace(/_/g, ' ')} ${entry.target_id ?? ''}`;
  const href = recordPage(slug, entry.target_type, entry.target_id);
  return href ? <a href={href}>{text}</a> : <>{text}</>;
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
