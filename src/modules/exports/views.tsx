import type { ExportKind } from './kinds.ts';
import { Card, Time } from '../../core/views/components.tsx';
import { PostButton } from '../../core/views/forms.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { DataTable, TableRow, type Columns } from '../../core/views/data-table.tsx';
import { Page } from '../../core/views/page.tsx';
import { StatusBadge, type StatusKind } from '../../core/views/status-badge.tsx';
import { invoicePaths } from '../invoices/service.ts';
import { exportPaths } from './paths.ts';
import type { ExportView } from './service.ts';

export const KIND_LABELS: Record<ExportKind, string> = {
  invoices: 'Invoices',
  vendors: 'Vendors',
  audit_log: 'Audit log',
};

/** Where an export stands, as its row says it: the export's status and its run's, taken together. */
type ExportState = 'streamed' | 'expired' | 'ready' | 'failed' | 'retrying' | 'queued' | 'running' | 'cancelled';

export const EXPORT_STATUS: StatusKind<ExportState> = {
  streamed: { label: 'Downloaded at once', tone: 'green' },
  expired: { label: 'Expired', tone: 'neutral' },
  cancelled: { label: 'Stopped by support', tone: 'neutral' },
  ready: { label: 'Ready', tone: 'green' },
  failed: { label: 'Failed', tone: 'red' },
  retrying: { label: 'Retrying', tone: 'blue' },
  queued: { label: 'Waiting', tone: 'blue' },
  running: { label: 'Building', tone: 'blue' },
};

function stateOf(e: ExportView): ExportState {
  if (e.status === 'streamed') return 'streamed';
  if (e.status === 'cancelled') return 'cancelled';
  if (e.status === 'expired' || (e.status === 'ready' && e.is_expired)) return 'expired';
  if (e.status === 'ready') return 'ready';
  if (e.run_status === 'failed') return 'failed';
  if (e.run_status === 'retrying') return 'retrying';
  return e.status === 'queued' ? 'queued' : 'running';
}

function filterSummary(filters: unknown): string {
  if (!filters || typeof filters !== 'object') return '';
  return Object.entries(filters as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k.replace('_', ' ')}: ${String(v)}`)
    .join(', ');
}

function inProgress(e: ExportView): boolean {
  return (e.status === 'queued' || e.status === 'running') && e.run_status !== 'failed';
}

function StatusCell({ e }: { e: ExportView }) {
  const state = stateOf(e);
  return (
    <>
      <StatusBadge kind={EXPORT_STATUS} status={state} />
      {state === 'failed' && e.run_error && <div class="muted small">{e.run_error}</div>}
      {(state === 'queued' || state === 'running' || state === 'retrying') && e.progress_total ? (
        <progress max={e.progress_total} value={e.progress_done ?? 0}>
          {e.progress_done ?? 0} of {e.progress_total}
        </progress>
      ) : null}
    </>
  );
}

function exportColumns(ctx: PageContext): Columns<ExportView> {
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const slug = ctx.org?.slug ?? '';
  return [
    {
      header: 'What',
      cell: (e) => {
        const summary = filterSummary(e.filters);
        return (
          <>
            {KIND_LABELS[e.kind]}
            {summary && <div class="muted small">{summary}</div>}
          </>
        );
      },
    },
    { header: 'Status', cell: (e) => <StatusCell e={e} /> },
    {
      header: 'Rows',
      num: true,
      cell: (e) => e.row_count ?? (e.progress_total ? `${e.progress_done ?? 0} / ${e.progress_total}` : '—'),
    },
    { header: 'Who', cell: (e) => e.created_by_name ?? 'A former member' },
    { header: 'When', class: 'nowrap', cell: (e) => <Time value={e.created_at} zone={zone} /> },
    {
      header: 'Expires',
      class: 'nowrap',
      cell: (e) => (e.expires_at ? <Time value={e.expires_at} zone={zone} /> : <span class="muted">—</span>),
    },
    {
      header: 'File',
      cell: (e) =>
        e.status === 'ready' && !e.is_expired ? (
          <a href={exportPaths.download(slug, e.id)} download>
            Download
          </a>
        ) : (
          <span class="muted">—</span>
        ),
    },
  ];
}

/** One export; while it is being built the row asks for itself again every second, and stops once it is done. */
export function ExportRow({ ctx, e }: { ctx: PageContext; e: ExportView }) {
  const polling = inProgress(e)
    ? { 'hx-get': exportPaths.row(ctx.org?.slug ?? '', e.id), 'hx-trigger': 'every 1s', 'hx-swap': 'outerHTML' }
    : undefined;
  return <TableRow columns={exportColumns(ctx)} row={e} id={`export-${e.id}`} attrs={polling} />;
}

export function ExportsPage({
  ctx,
  exports,
  kinds,
}: {
  ctx: PageContext;
  exports: ExportView[];
  kinds: readonly ExportKind[];
}) {
  const slug = ctx.org?.slug ?? '';
  return (
    <Page
      ctx={ctx}
      title="Exports"
      subtitle="Your organization's data as CSV. Small exports download at once; large ones are prepared here and can be downloaded for 24 hours."
      actions={
        <>
          {kinds.includes('invoices') && (
            <a class="button button-ghost" href={invoicePaths.list(slug)}>
              Export invoices from the queue
            </a>
          )}
          {kinds
            .filter((k) => k !== 'invoices')
            .map((k) => (
              <PostButton
                action={exportPaths.file(slug, k)}
                csrfToken={ctx.csrfToken}
                class="inline-form"
                buttonClass="button button-ghost"
                label={`Export ${KIND_LABELS[k].toLowerCase()}`}
              />
            ))}
        </>
      }
    >
      <Card title="Recent exports">
        <DataTable
          columns={exportColumns(ctx)}
          rows={exports}
          row={(e) => <ExportRow ctx={ctx} e={e} />}
          empty={{
            title: 'No exports yet',
            children: 'Invoices export with the filters you set on the invoice queue.',
          }}
        />
      </Card>
    </Page>
  );
}

/** What an export will hold, before it is made: where a link to an export leads (the button makes it). */
export function ExportConfirmPage(props: {
  ctx: PageContext;
  kind: ExportKind;
  filters: Record<string, unknown>;
  rows: number;
  direct: boolean;
}) {
  const { ctx, kind, filters, rows, direct } = props;
  const slug = ctx.org?.slug ?? '';
  const summary = filterSummary(filters);
  const label = KIND_LABELS[kind].toLowerCase();
  return (
    <Page ctx={ctx} title={`Export ${label}`} subtitle="Nothing is exported until you press the button.">
      <Card title="What the file will hold">
        <p>
          {rows.toLocaleString('en-GB')} {rows === 1 ? 'row' : 'rows'} of {label}
          {summary ? `, with these filters: ${summary}` : kind === 'invoices' ? ', every invoice (no filter)' : ''}.
        </p>
        <p class="muted">
          {direct
            ? 'It downloads at once.'
            : 'That is a large file: it is prepared in the background and appears on the exports page, where it can be downloaded for 24 hours.'}{' '}
          The export is recorded in the organization's activity.
        </p>
        <PostButton
          action={exportPaths.file(slug, kind)}
          csrfToken={ctx.csrfToken}
          label={direct ? 'Download the CSV' : 'Prepare the CSV'}
          hidden={Object.fromEntries(
            Object.entries(filters).map(([k, v]) => [
              k,
              typeof v === 'string' || typeof v === 'number' ? String(v) : undefined,
            ]),
          )}
        />
      </Card>
    </Page>
  );
}
