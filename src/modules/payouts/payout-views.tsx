// The payout page: its status, what happens next, who approved it, its vendors and history.
import type { FormState } from '../../core/http/forms.ts';
import type { Rights as PolicyRights } from '../../core/http/policy.ts';
import { formatMoney } from '../../core/money.ts';
import { Card, Field, FormMessage, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import { FormActions, PostButton, PostForm } from '../../core/views/forms.tsx';
import { Layout } from '../../core/views/layout.tsx';
import { Page } from '../../core/views/page.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { invoicePaths } from '../invoices/service.ts';
import { payoutPaths } from './paths.ts';
import { PAYOUT_STATUS } from './payout-status.ts';
import type { PayoutRights as Rights } from './payouts-views.tsx';
import type { PayoutAction } from './policy.ts';
import type { payoutDetail } from './service.ts';

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
  const money = (minor: string) => formatMoney(minor, p.currency, p.minor_units);
  const approvedByMe = approvals.some((a) => a.approver_id === viewerId);
  const canApproveNow = record['payout.approve'].allowed && p.status === 'pending' && !approvedByMe;
  const canExport = rights.export && (p.status === 'approved' || p.status === 'paid');
  const canCancel = record['payout.cancel'].allowed && (p.status === 'pending' || p.status === 'approved');
  const canMarkPaid = rights.markPaid && p.status === 'approved';
  return (
    <Page
      ctx={ctx}
      title={`Payout ${p.reference}`}
      subtitle={`${p.currency} · created by ${p.created_by_name ?? 'a former member'}`}
      actions={
        <a class="button button-ghost" href={payoutPaths.list(slug)}>
          All payouts
        </a>
      }
    >
      <div class="stats">
        <div class="stat">
          <span class="stat-label">Status</span>
          <span class="stat-value stat-text">
            <StatusBadge kind={PAYOUT_STATUS} status={p.status} />
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
              <PostButton
                action={payoutPaths.action(slug, p.id, 'approve')}
                csrfToken={ctx.csrfToken}
                label="Approve payout"
              />
            )}
            {canExport && p.status === 'paid' && (
              <div class="form-actions">
                {/* Paid: the page before the copy says it is one and must not go to the bank again. */}
                <a class="button button-ghost" href={payoutPaths.paymentFile(slug, p.id, 'csv')}>
                  Copy of the CSV
                </a>
                {p.currency === 'EUR' && (
                  <a class="button button-ghost" href={payoutPaths.paymentFile(slug, p.id, 'xml')}>
                    Copy of the SEPA XML
                  </a>
                )}
              </div>
            )}
            {canExport && p.status !== 'paid' && (
              <div class="form-actions">
                <PostButton
                  action={payoutPaths.paymentFile(slug, p.id, 'csv')}
                  csrfToken={ctx.csrfToken}
                  class="inline-form"
                  buttonClass="button button-ghost"
                  label="Download CSV"
                />
                {p.currency === 'EUR' && (
                  <PostButton
                    action={payoutPaths.paymentFile(slug, p.id, 'xml')}
                    csrfToken={ctx.csrfToken}
                    class="inline-form"
                    buttonClass="button button-ghost"
                    label="Download SEPA XML"
                  />
                )}
              </div>
            )}
            {p.exported_at && (
              <p class="muted small">
                Payment file last downloaded <Time value={p.exported_at} zone={zone} />.
              </p>
            )}
            {canMarkPaid && (
              <PostForm
                action={payoutPaths.action(slug, p.id, 'paid')}
                csrfToken={ctx.csrfToken}
                class="stack"
                novalidate
              >
                <FormMessage form={paidForm} />
                <Field
                  form={paidForm}
                  name="bank_reference"
                  label="Bank reference"
                  required
                  maxLength={100}
                  hint="The reference your bank shows for the transfer batch."
                />
                <FormActions submit="Mark paid" />
              </PostForm>
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
              <PostButton
                action={payoutPaths.action(slug, p.id, 'cancel')}
                csrfToken={ctx.csrfToken}
                confirm={`Cancel payout ${p.reference}? Its invoices go back to approved.`}
                buttonClass="button button-danger-ghost button-small"
                label="Cancel payout"
              />
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
        <DataTable<(typeof vendors)[number]>
          columns={[
            { header: 'Vendor', cell: (v) => v.vendor_name },
            {
              header: 'Invoices',
              cell: (v) =>
                invoices
                  .filter((i) => i.vendor_id === v.vendor_id)
                  .map((i, n) => (
                    <>
                      {n > 0 && ', '}
                      <a href={invoicePaths.detail(slug, i.id)}>{i.number}</a>
                    </>
                  )),
            },
            { header: 'Amount', num: true, cell: (v) => money(v.total_minor) },
          ]}
          rows={vendors}
          empty={{
            title: `This payout holds no invoices${p.status === 'cancelled' ? ' any more: they went back to approved when it was cancelled' : ''}.`,
          }}
          footer={
            <tr>
              <th colSpan={2}>Total</th>
              <td class="num">
                <strong>{money(total.total_minor)}</strong>
              </td>
            </tr>
          }
        />
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
    </Page>
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
