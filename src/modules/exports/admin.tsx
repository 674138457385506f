// The back-office list of exports, across organizations.
import { When, orgColumn, recordHref } from '../../core/admin/cells.tsx';
import { defineList, ORG_FILTER, timeSorts, valueOptions, tenantKey } from '../../core/admin/lists.ts';
import { Badge } from '../../core/views/components.tsx';
import { exportRecord } from './admin-record.tsx';
import { lastDownloadedAt } from './queries.ts';
import { EXPORT_KINDS } from './kinds.ts';

const EXPORT_STATUSES = ['streamed', 'queued', 'running', 'ready', 'expired', 'cancelled'] as const;

export const exportsList = defineList({
  name: 'exports',
  title: 'Exports',
  area: 'Data',
  order: 2,
  description: 'CSV files organizations asked for: who, what, and whether the file is still there.',
  query: (tx) =>
    tx
      .selectFrom('exports as e')
      .innerJoin('organizations as o', 'o.id', 'e.org_id')
      .leftJoin('users as u', 'u.id', 'e.created_by')
      .select([
        'e.org_id',
        'e.id',
        'e.kind',
        'e.status',
        'e.row_count',
        'e.created_at',
        'e.finished_at',
        'e.expires_at',
        lastDownloadedAt.as('downloaded_at'),
        'u.email as created_by',
        'o.slug',
        'o.name as org_name',
      ]),
  key: tenantKey('e'),
  sorts: timeSorts('e.created_at'),
  filters: [
    ORG_FILTER,
    { kind: 'choice', name: 'kind', label: 'Of', options: valueOptions('e.kind', EXPORT_KINDS) },
    { kind: 'choice', name: 'status', label: 'Status', options: valueOptions('e.status', EXPORT_STATUSES) },
    { kind: 'dates', name: 'created', label: 'Asked', column: 'e.created_at' },
  ],
  columns: ({ zone }) => [
    orgColumn(),
    { header: 'Of', href: recordHref('exports'), cell: (e) => e.kind },
    { header: 'Status', cell: (e) => <Badge tone={e.status === 'ready' ? 'green' : 'neutral'}>{e.status}</Badge> },
    { header: 'Rows', num: true, cell: (e) => e.row_count ?? '—' },
    { header: 'Asked by', class: 'break', secondary: true, cell: (e) => e.created_by ?? '—' },
    { header: 'Asked', class: 'nowrap', cell: (e) => <When value={e.created_at} zone={zone} /> },
    {
      header: 'Downloaded',
      class: 'nowrap',
      secondary: true,
      cell: (e) => <When value={e.downloaded_at} zone={zone} />,
    },
    { header: 'Expires', class: 'nowrap', secondary: true, cell: (e) => <When value={e.expires_at} zone={zone} /> },
  ],
  empty: {
    title: 'No exports yet',
    hint: 'Exports appear when someone in an org downloads invoices, vendors or activity.',
  },
  record: exportRecord,
});
