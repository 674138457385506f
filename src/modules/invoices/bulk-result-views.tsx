// The page after a bulk approval: one result per invoice.
import { PageHeader } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';

export function BulkResultPage({
  ctx,
  results,
}: {
  ctx: PageContext;
  results: { id: string; number: string; ok: boolean; message: string }[];
}) {
  const base = `/o/${ctx.org?.slug ?? ''}/invoices`;
  const ok = results.filter((r) => r.ok).length;
  return (
    <Layout ctx={ctx} title="Bulk approval">
      <PageHeader
        title={`${ok} of ${results.length} approved`}
        subtitle="Each invoice was decided on its own: one that could not be approved did not hold up the others."
        actions={
          <a class="button" href={`${base}?status=submitted`}>
            Back to the queue
          </a>
        }
      />
      <section class="card">
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th>Invoice</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr>
                  <td>{r.number ? <a href={`${base}/${r.id}`}>{r.number}</a> : <span class="muted">unknown</span>}</td>
                  <td>
                    <span class={r.ok ? 'badge badge-green' : 'badge badge-red'}>{r.ok ? 'done' : 'not approved'}</span>{' '}
                    {r.message}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
}
