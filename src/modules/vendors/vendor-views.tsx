// The vendor page: its details, archive, and its recent invoices.
import { INVOICE_STATUS, invoicePaths, type InvoiceStatus } from '../invoices/service.ts';
import { formatMoney } from '../../core/money.ts';
import { Card, formatDay, PageHeader, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import { BackLink, PostButton } from '../../core/views/forms.tsx';
import { Layout } from '../../core/views/layout.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { vendorPaths } from './paths.ts';
import { VENDOR_STATUS } from './status.ts';
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
      <BackLink href={vendorPaths.list(slug)}>All vendors</BackLink>
      <PageHeader
        title={v.name}
        subtitle={v.archived_at ? 'Archived: kept with its invoices, not offered for new ones.' : `Tax id ${v.tax_id}`}
        actions={
          <>
            {canInvoice && (
              <a class="button" href={invoicePaths.new(slug, v.id)}>
                New invoice
              </a>
            )}
            {canManage && (
              <a class="button button-ghost" href={vendorPaths.action(slug, v.id, 'edit')}>
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
            <dd>
              <StatusBadge kind={VENDOR_STATUS} status={v.archived_at ? 'archived' : 'active'} />
            </dd>
          </dl>
          {canManage && (
            <PostButton
              action={vendorPaths.action(slug, v.id, v.archived_at ? 'unarchive' : 'archive')}
              csrfToken={ctx.csrfToken}
              confirm={
                v.archived_at
                  ? `Make ${v.name} active again? It will be offered for new invoices.`
                  : `Archive ${v.name}? Its invoices stay; it is no longer offered for new ones.`
              }
              buttonClass={
                v.archived_at ? 'button button-ghost button-small' : 'button button-danger-ghost button-small'
              }
              label={v.archived_at ? 'Unarchive' : 'Archive'}
            />
          )}
        </Card>
        <Card
          title={`Recent invoices${invoiceCount > invoices.length ? ` (${invoices.length} of ${invoiceCount})` : ''}`}
        >
          <DataTable<InvoiceRow>
            columns={[
              { header: 'Number', cell: (i) => <a href={invoicePaths.detail(slug, i.id)}>{i.number}</a> },
              { header: 'Issued', class: 'nowrap', cell: (i) => formatDay(i.issue_date) },
              {
                header: 'Amount',
                class: 'nowrap',
                cell: (i) => formatMoney(i.amount_minor, i.currency, i.minor_units),
              },
              { header: 'Status', cell: (i) => <StatusBadge kind={INVOICE_STATUS} status={i.status} /> },
            ]}
            rows={invoices}
            empty={{
              title: 'No invoices from this vendor yet',
              children: canInvoice && <a href={invoicePaths.new(slug, v.id)}>Record the first one</a>,
            }}
          />
        </Card>
      </div>
    </Layout>
  );
}
