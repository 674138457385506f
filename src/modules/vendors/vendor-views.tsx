// The vendor page: its details, archive, and its recent invoices.
import type { InvoiceStatus } from '../invoices/service.ts';
import { formatMoney } from '../../core/money.ts';
import { Badge, Card, CsrfField, EmptyState, formatDay, PageHeader, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';
import type { VendorView } from './service.ts';

type InvoiceRow = {
  id: string;
  number: string;
  issue_date: string;
  due_date: string;
  amount_minor: string;
  currency: string;
  minor_units: number;
  status: InvoiceStatus;
};

export const STATUS_TONE: Record<InvoiceStatus, 'neutral' | 'green' | 'red' | 'amber' | 'blue'> = {
  draft: 'neutral',
  submitted: 'amber',
  approved: 'green',
  rejected: 'red',
  scheduled: 'blue',
  paid: 'green',
};

export function VendorPage(props: {
  ctx: PageContext;
  vendor: VendorView;
  invoices: InvoiceRow[];
  invoiceCount: number;
  canManage: boolean;
  canInvoice: boolean;
}) {
  const { ctx, vendor: v, invoices, invoiceCount, canManage } = props;
  const canInvoice = props.canInvoice && !v.archived_at;
  const slug = ctx.org?.slug ?? '';
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  return (
    <Layout ctx={ctx} title={v.name}>
      <p class="small">
        <a href={`/o/${slug}/vendors`}>← All vendors</a>
      </p>
      <PageHeader
        title={v.name}
        subtitle={v.archived_at ? 'Archived: kept with its invoices, not offered for new ones.' : `Tax id ${v.tax_id}`}
        actions={
          <>
            {canInvoice && (
              <a class="button" href={`/o/${slug}/invoices/new?vendor=${v.id}`}>
                New invoice
              </a>
            )}
            {canManage && (
              <a class="button button-ghost" href={`/o/${slug}/vendors/${v.id}/edit`}>
                Edit
              </a>
            )}
          </>
        }
      />
      <div class="grid-2">
        <Card title="Details">
          <dl class="meta">
            <dt>Tax id</dt>
            <dd>{v.tax_id}</dd>
            <dt>{v.hasIban ? 'IBAN' : 'Account number'}</dt>
            <dd>
              <code>{v.payment}</code>
            </dd>
            {v.bic && (
              <>
                <dt>BIC</dt>
                <dd>{v.bic}</dd>
              </>
            )}
            <dt>Default currency</dt>
            <dd>{v.default_currency}</dd>
            <dt>Email</dt>
            <dd>{v.email ?? <span class="muted">none</span>}</dd>
            <dt>Added</dt>
            <dd>
              <Time value={v.created_at} zone={zone} />
            </dd>
            <dt>Status</dt>
            <dd>{v.archived_at ? <Badge>archived</Badge> : <Badge tone="green">active</Badge>}</dd>
          </dl>
          {canManage && (
            <form
              method="post"
              action={`/o/${slug}/vendors/${v.id}/${v.archived_at ? 'unarchive' : 'archive'}`}
              data-confirm={
                v.archived_at
                  ? `Make ${v.name} active again? It will be offered for new invoices.`
                  : `Archive ${v.name}? Its invoices stay; it is no longer offered for new ones.`
              }
            >
              <CsrfField token={ctx.csrfToken} />
              <button
                class={v.archived_at ? 'button button-ghost button-small' : 'button button-danger-ghost button-small'}
                type="submit"
              >
                {v.archived_at ? 'Unarchive' : 'Archive'}
              </button>
            </form>
          )}
        </Card>
        <Card
          title={`Recent invoices${invoiceCount > invoices.length ? ` (${invoices.length} of ${invoiceCount})` : ''}`}
        >
          {invoices.length === 0 ? (
            <EmptyState title="No invoices from this vendor yet">
              {canInvoice && <a href={`/o/${slug}/invoices/new?vendor=${v.id}`}>Record the first one</a>}
            </EmptyState>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th>Number</th>
                    <th>Issued</th>
                    <th>Amount</th>
                    <th>Status</th>
                  </tr>
                </thead>
                <tbody>
                  {invoices.map((i) => (
                    <tr>
                      <td>
                        <a href={`/o/${slug}/invoices/${i.id}`}>{i.number}</a>
                      </td>
                      <td class="nowrap">{formatDay(i.issue_date)}</td>
                      <td class="nowrap">{formatMoney(i.amount_minor, i.currency, i.minor_units)}</td>
                      <td>
                        <Badge tone={STATUS_TONE[i.status]}>{i.status}</Badge>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </Layout>
  );
}
