// The payouts page: what is waiting to be paid, every payout, and the paying account.
import type { FormState } from '../../core/http/forms.ts';
import { formatMoney } from '../../core/money.ts';
import {
  Badge,
  Card,
  CsrfField,
  EmptyState,
  Field,
  FormMessage,
  PageHeader,
  Time,
} from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';
import { PayoutStatusBadge } from './payout-status.tsx';
import type { payoutsOverview } from './service.ts';

export type PayoutRights = {
  create: boolean;
  approve: boolean;
  export: boolean;
  markPaid: boolean;
  bankAccount: boolean;
};

type Overview = Awaited<ReturnType<typeof payoutsOverview>>;

export function PayoutsPage({
  ctx,
  payouts,
  waiting,
  bank,
  bankForm,
  rights,
}: { ctx: PageContext; bankForm: FormState; rights: PayoutRights } & Overview) {
  const slug = ctx.org?.slug ?? '';
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  return (
    <Layout ctx={ctx} title="Payouts">
      <PageHeader
        title="Payouts"
        subtitle="Approved invoices are paid in payouts: one batch per currency, approved by a second person, sent to the bank as a payment file."
        actions={
          rights.create ? (
            <a class="button" href={`/o/${slug}/payouts/new`}>
              New payout
            </a>
          ) : undefined
        }
      />
      <Card title="Approved, not yet in a payout">
        {waiting.length === 0 ? (
          <p class="muted">No approved invoices are waiting. Invoices appear here once they are approved.</p>
        ) : (
          <div class="stats">
            {waiting.map((w) => (
              <div class="stat">
                <span class="stat-label">
                  {w.currency} · {w.invoice_count} invoice{w.invoice_count === 1 ? '' : 's'}
                </span>
                <span class="stat-value">{formatMoney(w.total_minor, w.currency, w.minor_units)}</span>
                {rights.create && (
                  <a class="small" href={`/o/${slug}/payouts/new?currency=${w.currency}`}>
                    Put in a payout
                  </a>
                )}
              </div>
            ))}
          </div>
        )}
      </Card>
      <Card title="All payouts">
        {payouts.length === 0 ? (
          <EmptyState title="No payouts yet">
            A payout collects approved invoices of one currency. Someone other than its creator approves it, finance
            downloads the payment file for the bank and marks it paid when the bank confirms.
          </EmptyState>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>Reference</th>
                  <th>Status</th>
                  <th>Currency</th>
                  <th class="num">Total</th>
                  <th class="num">Invoices</th>
                  <th>Created by</th>
                  <th>Approvals</th>
                </tr>
              </thead>
              <tbody>
                {payouts.map((p) => (
                  <tr>
                    <td>
                      <a href={`/o/${slug}/payouts/${p.id}`}>{p.reference}</a>
                      <div class="muted small">
                        <Time value={p.created_at} zone={zone} />
                      </div>
                    </td>
                    <td>
                      <PayoutStatusBadge status={p.status} />
                    </td>
                    <td>{p.currency}</td>
                    <td class="num">
                      {p.status === 'cancelled' ? '—' : formatMoney(p.total_minor, p.currency, p.minor_units)}
                    </td>
                    <td class="num">{p.status === 'cancelled' ? '—' : p.invoice_count}</td>
                    <td>{p.created_by_name ?? '—'}</td>
                    <td>
                      {p.approval_count} of {p.approvals_required}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {rights.bankAccount && (
        <section id="paying-account">
          <Card title="Paying account">
            <p class="muted">The organization’s own bank account: the payer named in SEPA payment files.</p>
            {bank.iban ? (
              <dl class="meta">
                <dt>Account holder</dt>
                <dd>{bank.name}</dd>
                <dt>IBAN</dt>
                <dd>
                  <code>{bank.iban}</code>
                </dd>
                <dt>BIC</dt>
                <dd>{bank.bic ?? '—'}</dd>
              </dl>
            ) : (
              <p>
                <Badge tone="amber">not set</Badge> SEPA files cannot be created until it is.
              </p>
            )}
            <FormMessage form={bankForm} />
            <form method="post" action={`/o/${slug}/payouts/bank-account`} class="stack" novalidate>
              <CsrfField token={ctx.csrfToken} />
              <div class="grid-2">
                <Field
                  form={bankForm}
                  name="bank_account_name"
                  label="Account holder"
                  required
                  maxLength={70}
                  autocomplete="off"
                />
                <Field form={bankForm} name="bank_bic" label="BIC (optional)" maxLength={14} autocomplete="off" />
              </div>
              <Field
                form={bankForm}
                name="bank_iban"
                label={bank.iban ? 'New IBAN' : 'IBAN'}
                required
                maxLength={42}
                autocomplete="off"
                hint="Spaces are fine. It is shown masked once saved."
              />
              <div class="form-actions">
                <button class="button" type="submit">
                  {bank.iban ? 'Replace paying account' : 'Save paying account'}
                </button>
              </div>
            </form>
          </Card>
        </section>
      )}
    </Layout>
  );
}
