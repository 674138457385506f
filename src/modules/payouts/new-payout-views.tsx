// The new-payout page: the approved invoices of one currency, grouped by vendor, to choose from.
import type { FormState } from '../../core/http/forms.ts';
import { formatMoney } from '../../core/money.ts';
import { Card, CsrfField, EmptyState, FormMessage, PageHeader } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';
import type { payoutCandidates } from './service.ts';

type Candidates = Awaited<ReturnType<typeof payoutCandidates>>;

export function NewPayoutPage({
  ctx,
  waiting,
  currency,
  minorUnits,
  invoices,
  form,
}: { ctx: PageContext; form: FormState } & Candidates) {
  const slug = ctx.org?.slug ?? '';
  const vendors: { id: string; name: string; total: string; rows: typeof invoices }[] = [];
  for (const inv of invoices) {
    const last = vendors[vendors.length - 1];
    if (last?.id === inv.vendor_id) last.rows.push(inv);
    else vendors.push({ id: inv.vendor_id, name: inv.vendor_name, total: inv.vendor_total_minor, rows: [inv] });
  }
  const overall = invoices[0]?.overall_total_minor ?? '0';
  return (
    <Layout ctx={ctx} title="New payout">
      <PageHeader
        title="New payout"
        subtitle="Choose the approved invoices to pay together. A payout is in one currency; someone other than you approves it."
        actions={
          <a class="button button-ghost" href={`/o/${slug}/payouts`}>
            Back to payouts
          </a>
        }
      />
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
                  href={`/o/${slug}/payouts/new?currency=${w.currency}`}
                  aria-current={w.currency === currency ? 'page' : undefined}
                >
                  {w.currency} ({w.invoice_count})
                </a>
              ))}
            </nav>
          )}
          <form method="post" action={`/o/${slug}/payouts`} class="stack">
            <CsrfField token={ctx.csrfToken} />
            <input type="hidden" name="currency" value={currency} />
            <Card title={`Approved ${currency} invoices`}>
              <div class="table-wrap">
                <table class="table">
                  <thead>
                    <tr>
                      <th>Pay</th>
                      <th>Invoice</th>
                      <th>Due</th>
                      <th class="num">Amount</th>
                    </tr>
                  </thead>
                  {vendors.map((v) => (
                    <tbody>
                      <tr class="group-row">
                        <th colSpan={3} scope="rowgroup">
                          {v.name}
                        </th>
                        <td class="num">
                          <strong>{formatMoney(v.total, currency, minorUnits)}</strong>
                        </td>
                      </tr>
                      {v.rows.map((i) => (
                        <tr>
                          <td>
                            <input
                              type="checkbox"
                              name="invoice"
                              value={i.id}
                              checked
                              id={`inv-${i.id}`}
                              aria-label={`Pay invoice ${i.number}`}
                            />
                          </td>
                          <td>
                            <label for={`inv-${i.id}`}>{i.number}</label>
                          </td>
                          <td>{i.due_date}</td>
                          <td class="num">{formatMoney(i.amount_minor, currency, minorUnits)}</td>
                        </tr>
                      ))}
                    </tbody>
                  ))}
                  <tfoot>
                    <tr>
                      <th colSpan={3}>All listed invoices</th>
                      <td class="num">
                        <strong>{formatMoney(overall, currency, minorUnits)}</strong>
                      </td>
                    </tr>
                  </tfoot>
                </table>
              </div>
              <p class="muted small">
                Uncheck an invoice to leave it for a later payout. The payout’s total is what the checked invoices add
                up to.
              </p>
              <div class="form-actions">
                <button class="button" type="submit">
                  Create payout
                </button>
              </div>
            </Card>
          </form>
        </>
      )}
    </Layout>
  );
}
