// The back-office list of CSV imports, across organizations: what failed, and why.
import { recordHref, When, orgColumn } from '../../core/admin/cells.tsx';
import { defineList, ORG_FILTER, timeSorts, valueOptions, tenantKey } from '../../core/admin/lists.ts';
import { Badge } from '../../core/views/components.tsx';
import { importRecord } from './admin-record.tsx';
import { IMPORT_KINDS } from './statuses.ts';

const IMPORT_STATUSES = ['uploaded', 'checking', 'checked', 'importing', 'imported', 'failed'] as const;
const TONE = { failed: 'red', imported: 'green', checked: 'blue' } as const;

export const importsList = defineList({
  name: 'imports',
  title: 'Imports',
  area: 'Data',
  order: 1,
  description: 'CSV files of vendors and invoices uploaded by organizations, with their outcome.',
  query: (tx) =>
    tx
      .selectFrom('imports as im')
      .innerJoin('organizations as o', 'o.id', 'im.org_id')
      .select([
        'im.org_id',
        'im.id',
        'im.kind',
        'im.status',
        'im.file_name',
        'im.total_rows',
        'im.valid_rows',
        'im.rejected_rows',
        'im.error',
        'im.created_at',
        'o.slug',
        'o.name as org_name',
      ]),
  key: tenantKey('im'),
  sorts: timeSorts('im.created_at'),
  search: {
    label: 'File name',
    hint: 'The start of the uploaded file name.',
    fields: [{ column: 'im.file_name', match: 'prefix', lower: 'call' }],
  },
  filters: [
    ORG_FILTER,
    { kind: 'choice', name: 'status', label: 'Status', options: valueOptions('im.status', IMPORT_STATUSES) },
    { kind: 'choice', name: 'kind', label: 'Holds', options: valueOptions('im.kind', IMPORT_KINDS) },
    { kind: 'dates', name: 'created', label: 'Uploaded', column: 'im.created_at' },
  ],
  columns: ({ zone }) => [
    orgColumn(),
    { header: 'File', class: 'break', href: recordHref('imports'), cell: (im) => im.file_name },
    { header: 'Holds', cell: (im) => im.kind },
    {
      header: 'Status',
      cell: (im) => <Badge tone={TONE[im.status as keyof typeof TONE] ?? 'neutral'}>{im.status}</Badge>,
    },
    { header: 'Rows', num: true, cell: (im) => im.total_rows },
    { header: 'Rejected', num: true, cell: (im) => im.rejected_rows },
    { header: 'Error', class: 'break small', secondary: true, cell: (im) => im.error ?? '—' },
    { header: 'Uploaded', class: 'nowrap', cell: (im) => <When value={im.created_at} zone={zone} /> },
  ],
  empty: { title: 'No imports yet', hint: 'Imports appear when an org uploads a CSV file of vendors or invoices.' },
  record: importRecord,
});
