import type { ExportKind } from './kinds.ts';
import { Badge, Card, EmptyState, PageHeader, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';
import type { ExportView } from './service.ts';

export const KIND_LABELS: Record<ExportKind, string> = {
  invoices: 'Invoices',
  vendors: 'Vendors',
  audit_log: 'Audit log',
};
/** The URL segment of each kind's export link. */
export const KIND_PATHS: Record<ExportKind, string> = {
  invoices: 'invoices.csv',
  vendors: 'vendors.csv',
  audit_log: 'audit-log.csv',
};

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
  if (e.status === 'streamed') return <Badge tone="green">Downloaded at once</Badge>;
  if (e.status === 'expired' || (e.status === 'ready' && e.is_expired)) return <Badge>Expired</Badge>;
  if (e.status === 'ready') return <Badge tone="green">Ready</Badge>;
  if (e.run_status === 'failed') {
    return (
      <>
        <Badge tone="red">Failed</Badge>
        {e.run_error && <div class="muted small">{e.run_error}</div>}
      </>
    );
  }
  return (
    <>
      <Badge tone="blue">
        {e.run_status === 'retrying' ? 'Retrying' : e.status === 'queued' ? 'Waiting' : 'Building'}
      </Badge>
      {e.progress_total ? (
        <progress max={e.progress_total} value={e.progress_done ?? 0}>
          {e.progress_done ?? 0} of {e.progress_total}
        </progress>
      ) : null}
    </>
  );
}

/** One export; while it is being built the row asks for itself again every second, and stops once it is done. */
export function ExportRow({ ctx, e }: { ctx: PageContext; e: ExportView }) {
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const base = `/o/${ctx.org?.slug ?? ''}/exports/${e.id}`;
  const polling = inProgress(e) ? { 'hx-get': `${base}/row`, 'hx-trigger': 'every 1s', 'hx-swap': 'outerHTML' } : {};
  const summary = filterSummary(e.filters);
  return (
    <tr id={`export-${e.id}`} {...polling}>
      <td>
        {KIND_LABELS[e.kind]}
        {summary && <div class="muted small">{summary}</div>}
      </td>
      <td>
        <StatusCell e={e} />
      </td>
      <td class="num">{e.row_count ?? (e.progress_total ? `${e.progress_done ?? 0} / ${e.progress_total}` : '—')}</td>
      <td>{e.created_by_name ?? 'A former member'}</td>
      <td class="nowrap">
        <Time value={e.created_at} zone={zone} />
      </td>
      <td class="nowrap">{e.expires_at ? <Time value={e.expires_at} zone={zone} /> : <span class="muted">—</span>}</td>
      <td>
        {e.status === 'ready' && !e.is_expired ? (
          <a href={`${base}/download`} download>
            Download
          </a>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
    </tr>
  );
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
    <Layout ctx={ctx} title="Exports">
      <PageHeader
        title="Exports"
        subtitle="Your organization's data as CSV. Small exports download at once; large ones are prepared here and can be downloaded for 24 hours."
        actions={
          <>
            {kinds.includes('invoices') && (
              <a class="button button-ghost" href={`/o/${slug}/invoices`}>
                Export invoices from the queue
              </a>
            )}
            {kinds
              .filter((k) => k !== 'invoices')
              .map((k) => (
                <a class="button button-ghost" href={`/o/${slug}/exports/${KIND_PATHS[k]}`}>
                  Export {KIND_LABELS[k].toLowerCase()}
                </a>
              ))}
          </>
        }
      />
      <Card title="Recent exports">
        {exports.length === 0 ? (
          <EmptyState title="No exports yet">Invoices export with the filters you set on the invoice queue.</EmptyState>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>What</th>
                  <th>Status</th>
                  <th class="num">Rows</th>
                  <th>Who</th>
                  <th>When</th>
                  <th>Expires</th>
                  <th>File</th>
                </tr>
              </thead>
              <tbody>
                {exports.map((e) => (
                  <ExportRow ctx={ctx} e={e} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </Layout>
  );
}
