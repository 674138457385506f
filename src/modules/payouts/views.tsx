import type { Rights as PolicyRights } from '../../core/http/policy.ts';
import type { PayoutAction } from './policy.ts';
import type { PayoutStatus } from '../../core/db/schema.ts';
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
import type { payoutCandidates, payoutDetail, payoutsOverview } from './service.ts';

type Rights = { create: boolean; approve: boolean; export: boolean; markPaid: boolean; bankAccount: boolean };

const TONE: Record<PayoutStatus, 'amber' | 'blue' | 'green' | 'neutral'> = {
  pending: 'amber',
  approved: 'blue',
  paid: 'green',
  cancelled: 'neutral',
};

export function PayoutStatusBadge({ status }: { status: PayoutStatus }) {
  return <Badge tone={TONE[status]}>{status}</Badge>;
}

type Overview = Awaited<ReturnType<typeof payoutsOverview>>;

export function PayoutsPage({
  ctx,
  payouts,
  waiting,
  bank,
  bankForm,
  rights,
}: { ctx: PageContext; bankForm: FormState; rights: Rights } & Overview) {
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

type Detail = Awaited<ReturnType<typeof payoutDetail>>;

export function PayoutPage({
  ctx,
  payout: p,
  total,
  vendors,
  invoices,
  approvals,
  history,
  paidForm,
  rights,
  record,
  viewerId,
}: {
  ctx: PageContext;
  paidForm: FormState;
  rights: Rights;
  /** What the viewer may do to this payout, with the reason where a record rule refuses. */
  record: PolicyRights<PayoutAction>;
  viewerId: string;
} & Detail) {
  const slug = ctx.org?.slug ?? '';
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const base = `/o/${slug}/payouts/${p.id}`;
  const money = (minor: string) => formatMoney(minor, p.currency, p.minor_units);
  const approvedByMe = approvals.some((a) => a.approver_id === viewerId);
  const canApproveNow = record['payout.approve'].allowed && p.status === 'pending' && !approvedByMe;
  const canExport = rights.export && (p.status === 'approved' || p.status === 'paid');
  const canCancel = record['payout.cancel'].allowed && (p.status === 'pending' || p.status === 'approved');
  const canMarkPaid = rights.markPaid && p.status === 'approved';
  return (
    <Layout ctx={ctx} title={`Payout ${p.reference}`}>
      <PageHeader
        title={`Payout ${p.reference}`}
        subtitle={`${p.currency} · created by ${p.created_by_name ?? 'a former member'}`}
        actions={
          <a class="button button-ghost" href={`/o/${slug}/payouts`}>
            All payouts
          </a>
        }
      />
      <div class="stats">
        <div class="stat">
          <span class="stat-label">Status</span>
          <span class="stat-value stat-text">
            <PayoutStatusBadge status={p.status} />
          </span>
        </div>
        <div class="stat">
          <span class="stat-label">Total ({total.n} invoices)</span>
          <span class="stat-value">{money(total.total_minor)}</span>
        </div>
        <div class="stat">
          <span class="stat-label">Approvals</span>
          <span class="stat-value">
            {approvals.length} of {p.approvals_required}
          </span>
        </div>
      </div>
      <div class="grid-2 grid-2-wide">
        <Card title="What happens next">
          <div class="stack">
            {p.status === 'pending' && (
              <p class="muted">
                Needs {p.approvals_required - approvals.length} more approval
                {p.approvals_required - approvals.length === 1 ? '' : 's'} by someone other than its creator
                {p.approvals_required === 2
                  ? ' (two different people: the total is at or above the organization’s threshold)'
                  : ''}
                .
              </p>
            )}
            {p.status === 'pending' && approvedByMe && (
              <p class="muted">You approved it; another person has to approve it too.</p>
            )}
            {p.status === 'pending' && record['payout.approve'].reason && (
              <p class="muted">{record['payout.approve'].reason}</p>
            )}
            {canApproveNow && (
              <form method="post" action={`${base}/approve`}>
                <CsrfField token={ctx.csrfToken} />
                <button class="button" type="submit">
                  Approve payout
                </button>
              </form>
            )}
            {canExport && (
              <div class="form-actions">
                <a class="button button-ghost" href={`${base}/payment.csv`}>
                  Download CSV
                </a>
                {p.currency === 'EUR' && (
                  <a class="button button-ghost" href={`${base}/payment.xml`}>
                    Download SEPA XML
                  </a>
                )}
              </div>
            )}
            {p.exported_at && (
              <p class="muted small">
                Payment file last downloaded <Time value={p.exported_at} zone={zone} />.
              </p>
            )}
            {canMarkPaid && (
              <form method="post" action={`${base}/paid`} class="stack" novalidate>
                <CsrfField token={ctx.csrfToken} />
                <FormMessage form={paidForm} />
                <Field
                  form={paidForm}
                  name="bank_reference"
                  label="Bank reference"
                  required
                  maxLength={100}
                  hint="The reference your bank shows for the transfer batch."
                />
                <div class="form-actions">
                  <button class="button" type="submit">
                    Mark paid
                  </button>
                </div>
              </form>
            )}
            {p.status === 'paid' && p.paid_at && (
              <p>
                Paid <Time value={p.paid_at} zone={zone} /> by {p.paid_by_name ?? 'a former member'}, bank reference{' '}
                <code>{p.bank_reference}</code>.
              </p>
            )}
            {p.status === 'cancelled' && p.cancelled_at && (
              <p class="muted">
                Cancelled <Time value={p.cancelled_at} zone={zone} /> by {p.cancelled_by_name ?? 'a former member'}. Its
                invoices went back to approved.
              </p>
            )}
            {canCancel && (
              <form
                method="post"
                action={`${base}/cancel`}
                data-confirm={`Cancel payout ${p.reference}? Its invoices go back to approved.`}
              >
                <CsrfField token={ctx.csrfToken} />
                <button class="button button-danger-ghost button-small" type="submit">
                  Cancel payout
                </button>
              </form>
            )}
          </div>
        </Card>
        <Card title="Approved by">
          {approvals.length === 0 ? (
            <p class="muted">Nobody yet.</p>
          ) : (
            <ul class="people">
              {approvals.map((a) => (
                <li>
                  <div class="people-main">
                    <strong>{a.approver_name ?? 'A former member'}</strong>
                    <span class="muted small">
                      <Time value={a.created_at} zone={zone} />
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <Card title="Per vendor">
        {vendors.length === 0 ? (
          <p class="muted">
            This payout holds no invoices
            {p.status === 'cancelled' ? ' any more: they went back to approved when it was cancelled' : ''}.
          </p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>Vendor</th>
                  <th>Invoices</th>
                  <th class="num">Amount</th>
                </tr>
              </thead>
              <tbody>
                {vendors.map((v) => (
                  <tr>
                    <td>{v.vendor_name}</td>
                    <td>
                      {invoices
                        .filter((i) => i.vendor_id === v.vendor_id)
                        .map((i, n) => (
                          <>
                            {n > 0 && ', '}
                            <a href={`/o/${slug}/invoices/${i.id}`}>{i.number}</a>
                          </>
                        ))}
                    </td>
                    <td class="num">{money(v.total_minor)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th colSpan={2}>Total</th>
                  <td class="num">
                    <strong>{money(total.total_minor)}</strong>
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </Card>
      <Card title="History">
        <ol class="timeline">
          {history.map((h) => (
            <li>
              <span class="timeline-who">{h.actor_name ?? 'System'}</span>{' '}
              {h.from_status ? `moved it from ${h.from_status} to ${h.to_status}` : `created it (${h.to_status})`}
              {h.note && <span class="muted"> — {h.note}</span>}
              <span class="muted small timeline-when">
                <Time value={h.created_at} zone={zone} />
              </span>
            </li>
          ))}
        </ol>
      </Card>
    </Layout>
  );
}

/** A payout action that cannot happen yet, with the way to make it possible. */
export function PayoutProblemPage({
  ctx,
  message,
  link,
}: {
  ctx: PageContext;
  message: string;
  link: { href: string; label: string };
}) {
  return (
    <Layout ctx={ctx} title="Conflict" narrow>
      <section class="card error-card">
        <p class="error-code">409</p>
        <h1>Not possible yet</h1>
        <p>{message}</p>
        <p>
          <a class="button" href={link.href}>
            {link.label}
          </a>
        </p>
      </section>
    </Layout>
  );
}
