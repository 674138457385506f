// The new-payout page: the approved invoices of one currency, grouped by vendor, to choose from.
import type { FormState } from '../../core/http/forms.ts';
import { formatMoney } from '../../core/money.ts';
import { Card, EmptyState, FormMessage } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import { FormActions, PostForm } from '../../core/views/forms.tsx';
import { Page } from '../../core/views/page.tsx';
import { payoutPaths } from './paths.ts';
import type { payoutCandidates } from './service.ts';

type Candidates = Awaited<ReturnType<typeof payoutCandidates>>;
type Candidate = Candidates['invoices'][number];

export function NewPayoutPage({
  ctx,
  waiting,
  currency,
  minorUnits,
  invoices,
  form,
}: { ctx: PageContext; form: FormState } & Candidates) {
  const slug = ctx.org?.slug ?? '';
  const vendors: { id: string; name: string; total: string; rows: Candidate[] }[] = [];
  for (const inv of invoices) {
    const last = vendors[vendors.length - 1];
    if (last?.id === inv.vendor_id) last.rows.push(inv);
    else vendors.push({ id: inv.vendor_id, name: inv.vendor_name, total: inv.vendor_total_minor, rows: [inv] });
  }
  const overall = invoices[0]?.overall_total_minor ?? '0';
  return (
    <Page
      ctx={ctx}
      title="New payout"
      subtitle="Choose the approved invoices to pay together. A payout is in one currency; someone other than you approves it."
      actions={
        <a class="button button-ghost" href={payoutPaths.list(slug)}>
          Back to payouts
        </a>
      }
    >
      <FormMessage form={form} />
      {!currency ? (
        <Card>
          <EmptyState title="No approved invoices are waiting">
            Invoices can go into a payout once they are approved.
          </EmptyState>
        </Card>
      ) : (
        <>
          {waiting.length > 1 && (
            <nav class="form-actions currency-picker" aria-label="Currency">
              {waiting.map((w) => (
                <a
                  class={w.currency === currency ? 'button button-small' : 'button button-ghost button-small'}
                  href={payoutPaths.new(slug, w.currency)}
                  aria-current={w.currency === currency ? 'page' : undefined}
                >
                  {w.currency} ({w.invoice_count})
                </a>
              ))}
            </nav>
          )}
          <PostForm action={payoutPaths.list(slug)} csrfToken={ctx.csrfToken} class="stack">
            <input type="hidden" name="currency" value={currency} />
            <Card title={`Approved ${currency} invoices`}>
              <DataTable<Candidate>
                columns={[
                  {
                    header: 'Pay',
                    cell: (i) => (
                      <input
                        type="checkbox"
                        name="invoice"
                        value={i.id}
                        checked
                        id={`inv-${i.id}`}
                        aria-label={`Pay invoice ${i.number}`}
                      />
                    ),
                  },
                  { header: 'Invoice', cell: (i) => <label for={`inv-${i.id}`}>{i.number}</label> },
                  { header: 'Due', cell: (i) => i.due_date },
                  { header: 'Amount', num: true, cell: (i) => formatMoney(i.amount_minor, currency, minorUnits) },
                ]}
                groups={vendors.map((v) => ({
                  head: (
                    <tr class="group-row">
                      <th colSpan={3} scope="rowgroup">
                        {v.name}
                      </th>
                      <td class="num">
                        <strong>{formatMoney(v.total, currency, minorUnits)}</strong>
                      </td>
                    </tr>
                  ),
                  rows: v.rows,
                }))}
                empty={{ title: 'No approved invoices are waiting' }}
                footer={
                  <tr>
                    <th colSpan={3}>All listed invoices</th>
                    <td class="num">
                      <strong>{formatMoney(overall, currency, minorUnits)}</strong>
                    </td>
                  </tr>
                }
              />
              <p class="muted small">
                Uncheck an invoice to leave it for a later payout. The payout’s total is what the checked invoices add
                up to.
              </p>
              <FormActions submit="Create payout" />
            </Card>
          </PostForm>
        </>
      )}
    </Page>
  );
}
