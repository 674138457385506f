// The back-office list of invoices, across organizations, and each invoice's page (admin-record.tsx).
import { recordHref, When, orgColumn } from '../../core/admin/cells.tsx';
import { defineList, ORG_FILTER, timeSorts, valueOptions, tenantKey } from '../../core/admin/lists.ts';
import { formatMoney } from '../../core/money.ts';
import { formatDay } from '../../core/views/components.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { invoiceRecord } from './admin-record.tsx';
import { INVOICE_STATUS } from './status.ts';
import { INVOICE_STATUSES, type InvoiceStatus } from './statuses.ts';

export const invoicesList = defineList({
  name: 'invoices',
  title: 'Invoices',
  area: 'Finance',
  order: 2,
  description: 'Supplier invoices of every organization, in every state.',
  query: (tx) =>
    tx
      .selectFrom('invoices as i')
      .innerJoin('organizations as o', 'o.id', 'i.org_id')
      .innerJoin('vendors as v', (j) => j.onRef('v.org_id', '=', 'i.org_id').onRef('v.id', '=', 'i.vendor_id'))
      .innerJoin('currencies as c', 'c.code', 'i.currency')
      .select([
        'i.org_id',
        'i.id',
        'i.number',
        'i.status',
        'i.amount_minor',
        'i.currency',
        'i.due_date',
        'i.created_at',
        'c.minor_units',
        'v.name as vendor',
        'o.slug',
        'o.name as org_name',
      ]),
  key: tenantKey('i'),
  sorts: timeSorts('i.created_at'),
  search: {
    label: 'Number',
    hint: 'The start of the invoice number.',
    fields: [{ column: 'i.number', match: 'prefix', lower: 'call' }],
  },
  filters: [
    ORG_FILTER,
    {
      kind: 'choice',
      name: 'status',
      label: 'Status',
      options: valueOptions('i.status', INVOICE_STATUSES, (s) => INVOICE_STATUS[s as InvoiceStatus].label),
    },
    { kind: 'dates', name: 'created', label: 'Recorded', column: 'i.created_at' },
  ],
  columns: ({ zone }) => [
    orgColumn(),
    { header: 'Number', class: 'nowrap', href: recordHref('invoices'), cell: (i) => i.number },
    { header: 'Vendor', cell: (i) => i.vendor },
    { header: 'Amount', num: true, cell: (i) => formatMoney(i.amount_minor, i.currency, i.minor_units) },
    { header: 'Status', cell: (i) => <StatusBadge kind={INVOICE_STATUS} status={i.status} /> },
    { header: 'Due', class: 'nowrap', secondary: true, cell: (i) => formatDay(i.due_date) },
    { header: 'Recorded', class: 'nowrap', cell: (i) => <When value={i.created_at} zone={zone} /> },
  ],
  empty: { title: 'No invoices yet', hint: 'Invoices appear when an org records or imports them.' },
  record: invoiceRecord,
});
