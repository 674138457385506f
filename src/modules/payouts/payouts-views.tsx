// The payouts page: what is waiting to be paid, every payout, and the paying account.
import type { FormState } from '../../core/http/forms.ts';
import { formatMoney } from '../../core/money.ts';
import { Badge, Card, Field, FormMessage, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import { FormActions, PostForm } from '../../core/views/forms.tsx';
import { Page } from '../../core/views/page.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { payoutPaths } from './paths.ts';
import { PAYOUT_STATUS } from './payout-status.ts';
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
    <Page
      ctx={ctx}
      title="Payouts"
      subtitle="Approved invoices are paid in payouts: one batch per currency, approved by a second person, sent to the bank as a payment file."
      actions={
        rights.create ? (
          <a class="button" href={payoutPaths.new(slug)}>
            New payout
          </a>
        ) : undefined
      }
    >
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
                  <a class="small" href={payoutPaths.new(slug, w.currency)}>
                    Put in a payout
                  </a>
                )}
              </div>
            ))}
          </div>
        )}
      </Card>
      <Card title="All payouts">
        <DataTable<Overview['payouts'][number]>
          columns={[
            {
              header: 'Reference',
              cell: (p) => (
                <>
                  <a href={payoutPaths.detail(slug, p.id)}>{p.reference}</a>
                  <div class="muted small">
                    <Time value={p.created_at} zone={zone} />
                  </div>
                </>
              ),
            },
            { header: 'Status', cell: (p) => <StatusBadge kind={PAYOUT_STATUS} status={p.status} /> },
            { header: 'Currency', cell: (p) => p.currency },
            {
              header: 'Total',
              num: true,
              cell: (p) => (p.status === 'cancelled' ? '—' : formatMoney(p.total_minor, p.currency, p.minor_units)),
            },
            { header: 'Invoices', num: true, cell: (p) => (p.status === 'cancelled' ? '—' : p.invoice_count) },
            { header: 'Created by', cell: (p) => p.created_by_name ?? '—' },
            { header: 'Approvals', cell: (p) => `${p.approval_count} of ${p.approvals_required}` },
          ]}
          rows={payouts}
          empty={{
            title: 'No payouts yet',
            children:
              'A payout collects approved invoices of one currency. Someone other than its creator approves it, finance downloads the payment file for the bank and marks it paid when the bank confirms.',
          }}
        />
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
                <Badge tone="amber">Not set</Badge> SEPA files cannot be created until it is.
              </p>
            )}
            <FormMessage form={bankForm} />
            <PostForm action={payoutPaths.bankAccount(slug)} csrfToken={ctx.csrfToken} class="stack" novalidate>
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
              <FormActions submit={bank.iban ? 'Replace paying account' : 'Save paying account'} />
            </PostForm>
          </Card>
        </section>
      )}
    </Page>
  );
}
