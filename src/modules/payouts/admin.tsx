// The back-office list of payouts, across organizations.
import { sql } from 'kysely';
import { recordHref, When, orgColumn } from '../../core/admin/cells.tsx';
import { defineList, ORG_FILTER, timeSorts, valueOptions, tenantKey } from '../../core/admin/lists.ts';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { payoutRecord } from './admin-record.tsx';
import { PAYOUT_STATUS } from './payout-status.ts';

const PAYOUT_STATUSES = ['pending', 'approved', 'paid', 'cancelled'] as const;

export const payoutsList = defineList({
  name: 'payouts',
  title: 'Payouts',
  area: 'Finance',
  order: 3,
  description: 'Batches of approved invoices paid in one bank transfer file.',
  query: (tx) =>
    tx
      .selectFrom('payouts as p')
      .innerJoin('organizations as o', 'o.id', 'p.org_id')
      .select([
        'p.org_id',
        'p.id',
        'p.reference',
        'p.status',
        'p.currency',
        'p.created_at',
        'p.paid_at',
        'p.exported_at',
        'o.slug',
        'o.name as org_name',
        (eb) =>
          eb
            .selectFrom('invoices as i')
            .select(sql<string>`count(*)`.as('n'))
            .whereRef('i.org_id', '=', 'p.org_id')
            .whereRef('i.payout_id', '=', 'p.id')
            .as('invoices'),
      ]),
  key: tenantKey('p'),
  sorts: timeSorts('p.created_at'),
  search: {
    label: 'Reference',
    hint: 'The start of the payout reference (PAY-…).',
    fields: [{ column: 'p.reference', match: 'prefix', lower: 'call' }],
  },
  filters: [
    ORG_FILTER,
    { kind: 'choice', name: 'status', label: 'Status', options: valueOptions('p.status', PAYOUT_STATUSES) },
    { kind: 'dates', name: 'created', label: 'Created', column: 'p.created_at' },
  ],
  columns: ({ zone }) => [
    orgColumn(),
    { header: 'Reference', class: 'nowrap', href: recordHref('payouts'), cell: (p) => p.reference },
    { header: 'Status', cell: (p) => <StatusBadge kind={PAYOUT_STATUS} status={p.status} /> },
    { header: 'Invoices', num: true, cell: (p) => Number(p.invoices ?? 0) },
    { header: 'Currency', cell: (p) => p.currency },
    {
      header: 'File exported',
      class: 'nowrap',
      secondary: true,
      cell: (p) => <When value={p.exported_at} zone={zone} />,
    },
    { header: 'Paid', class: 'nowrap', secondary: true, cell: (p) => <When value={p.paid_at} zone={zone} /> },
    { header: 'Created', class: 'nowrap', cell: (p) => <When value={p.created_at} zone={zone} /> },
  ],
  empty: { title: 'No payouts yet', hint: 'Payouts appear when an org batches approved invoices for payment.' },
  record: payoutRecord,
});
