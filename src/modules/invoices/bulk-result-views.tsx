// The page after a bulk approval: one result per invoice.
import type { PageContext } from '../../core/views/context.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import { Page } from '../../core/views/page.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { invoicePaths } from './paths.ts';
import { BULK_RESULT } from './status.ts';

type Result = { id: string; number: string; ok: boolean; message: string };

export function BulkResultPage({ ctx, results }: { ctx: PageContext; results: Result[] }) {
  const slug = ctx.org?.slug ?? '';
  const ok = results.filter((r) => r.ok).length;
  return (
    <Page
      ctx={ctx}
      title="Bulk approval"
      heading={`${ok} of ${results.length} approved`}
      subtitle="Each invoice was decided on its own: one that could not be approved did not hold up the others."
      actions={
        <a class="button" href={invoicePaths.list(slug, { status: 'submitted' })}>
          Back to the queue
        </a>
      }
    >
      <section class="card">
        <DataTable<Result>
          columns={[
            {
              header: 'Invoice',
              cell: (r) =>
                r.number ? (
                  <a href={invoicePaths.detail(slug, r.id)}>{r.number}</a>
                ) : (
                  <span class="muted">unknown</span>
                ),
            },
            {
              header: 'Result',
              cell: (r) => (
                <>
                  <StatusBadge kind={BULK_RESULT} status={r.ok ? 'approved' : 'refused'} /> {r.message}
                </>
              ),
            },
          ]}
          rows={results}
          empty={{ title: 'No invoices were selected' }}
        />
      </section>
    </Page>
  );
}
