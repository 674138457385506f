// The back-office list of vendors and each vendor's page. Payment details are masked in SQL: the full IBAN or account
// number never leaves the database for these pages.
import { sql, type SqlBool } from 'kysely';
import { RecordLink, When, orgColumn } from '../../core/admin/cells.tsx';
import { defineList, ORG_FILTER, timeSorts, tenantKey } from '../../core/admin/lists.ts';
import { Badge } from '../../core/views/components.tsx';
import { maskedInSql, vendorRecord } from './admin-record.tsx';

export const vendorsList = defineList({
  name: 'vendors',
  title: 'Vendors',
  area: 'Finance',
  order: 1,
  description: 'The suppliers of every organization. Payment details show the country and last four only.',
  query: (tx) =>
    tx
      .selectFrom('vendors as v')
      .innerJoin('organizations as o', 'o.id', 'v.org_id')
      .select([
        'v.org_id',
        'v.id',
        'v.name',
        'v.tax_id',
        'v.email',
        'v.default_currency',
        'v.archived_at',
        'v.created_at',
        'o.slug',
        'o.name as org_name',
        maskedInSql.as('payment_details'),
      ]),
  key: tenantKey('v'),
  sorts: timeSorts('v.created_at'),
  search: {
    label: 'Search',
    hint: 'Part of the name (3+ characters), or the whole tax id.',
    fields: [
      { column: 'v.name', match: 'contains', lower: 'call' },
      { column: 'v.tax_id_normalized', match: 'exact', normalize: (t) => t.replace(/[^A-Za-z0-9]/g, '').toUpperCase() },
    ],
  },
  filters: [
    ORG_FILTER,
    {
      kind: 'choice',
      name: 'archived',
      label: 'Archived',
      options: [
        { value: 'no', label: 'In use', where: sql<SqlBool>`v.archived_at is null` },
        { value: 'yes', label: 'Archived', where: sql<SqlBool>`v.archived_at is not null` },
      ],
    },
  ],
  columns: ({ zone }) => [
    orgColumn(),
    {
      header: 'Vendor',
      cell: (v) => (
        <>
          <RecordLink list="vendors" orgId={v.org_id} id={v.id}>
            {v.name}
          </RecordLink>
          {v.archived_at && <Badge>Archived</Badge>}
        </>
      ),
    },
    { header: 'Tax id', class: 'nowrap', cell: (v) => v.tax_id },
    { header: 'Paid to', class: 'nowrap', cell: (v) => v.payment_details ?? '—' },
    { header: 'Currency', secondary: true, cell: (v) => v.default_currency },
    { header: 'Email', class: 'break', secondary: true, cell: (v) => v.email ?? '—' },
    { header: 'Created', class: 'nowrap', cell: (v) => <When value={v.created_at} zone={zone} /> },
  ],
  empty: { title: 'No vendors yet', hint: 'Vendors appear when an org adds or imports its suppliers.' },
  record: vendorRecord,
});
