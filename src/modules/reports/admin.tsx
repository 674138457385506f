// The back-office list of monthly reports, across organizations (their figures stay on the org's pages).
import { When, orgColumn } from '../../core/admin/cells.tsx';
import { recordPath } from '../../core/admin/records.ts';
import { reportRecord } from './admin-record.tsx';
import { defineList, ORG_FILTER } from '../../core/admin/lists.ts';
import { formatMonth } from '../../core/views/components.tsx';

export const reportsList = defineList({
  name: 'reports',
  title: 'Monthly reports',
  area: 'Data',
  order: 3,
  description: 'The monthly spending reports built for each organization, and when.',
  query: (tx) =>
    tx
      .selectFrom('monthly_reports as r')
      .innerJoin('organizations as o', 'o.id', 'r.org_id')
      .select(['r.org_id', 'r.month', 'r.generated_at', 'o.slug', 'o.name as org_name']),
  key: [
    { column: 'r.org_id', type: 'uuid' },
    { column: 'r.month', type: 'date' },
  ],
  sorts: {
    newest: { label: 'Built most recently', column: 'r.generated_at', type: 'timestamp', direction: 'desc' },
    oldest: { label: 'Built longest ago', column: 'r.generated_at', type: 'timestamp', direction: 'asc' },
  },
  filters: [ORG_FILTER, { kind: 'dates', name: 'built', label: 'Built', column: 'r.generated_at' }],
  columns: ({ zone }) => [
    orgColumn(),
    {
      header: 'Month',
      href: (r) => recordPath('reports', { orgId: r.org_id, id: r.month }),
      cell: (r) => formatMonth(r.month, 'long'),
    },
    { header: 'Built', class: 'nowrap', cell: (r) => <When value={r.generated_at} zone={zone} /> },
  ],
  empty: {
    title: 'No reports yet',
    hint: 'Reports are built on the first of each month, or when an org rebuilds one.',
  },
  record: reportRecord,
});
