// The back-office list of Content-Security-Policy violation reports, the evidence for tightening
// report-only mode.
import { None, When } from '../admin/cells.tsx';
import { defineList, timeSorts, valueOptions } from '../admin/lists.ts';

export const cspReportsList = defineList({
  name: 'csp-reports',
  title: 'CSP reports',
  area: 'Operations',
  order: 3,
  description: 'What browsers blocked (or would block in report-only mode), newest first.',
  query: (tx) =>
    tx
      .selectFrom('csp_reports as c')
      .select([
        'c.id',
        'c.received_at',
        'c.violated_directive',
        'c.blocked_uri',
        'c.document_uri',
        'c.disposition',
        'c.source_file',
        'c.line_number',
      ]),
  key: [{ column: 'c.id', type: 'bigint' }],
  sorts: timeSorts('c.received_at', { newest: 'Newest first', oldest: 'Oldest first' }),
  search: {
    label: 'Directive or blocked address',
    hint: 'The start of either, e.g. script-src or https://cdn.',
    fields: [
      { column: 'c.violated_directive', match: 'prefix' },
      { column: 'c.blocked_uri', match: 'prefix' },
    ],
  },
  filters: [
    {
      kind: 'choice',
      name: 'disposition',
      label: 'Mode',
      options: valueOptions('c.disposition', ['enforce', 'report']),
    },
    { kind: 'dates', name: 'received', label: 'Received', column: 'c.received_at' },
  ],
  columns: ({ zone }) => [
    { header: 'Received', class: 'nowrap', cell: (c) => <When value={c.received_at} zone={zone} /> },
    { header: 'Directive', class: 'nowrap', cell: (c) => c.violated_directive ?? <None /> },
    { header: 'Blocked', class: 'break', cell: (c) => c.blocked_uri ?? <None /> },
    { header: 'Page', class: 'break small', secondary: true, cell: (c) => c.document_uri ?? <None /> },
    { header: 'Mode', cell: (c) => c.disposition ?? <None /> },
    {
      header: 'Source',
      class: 'break small',
      secondary: true,
      cell: (c) => (c.source_file ? `${c.source_file}${c.line_number ? `:${c.line_number}` : ''}` : <None />),
    },
  ],
  empty: { title: 'No CSP reports', hint: 'Browsers send a report here when the security policy blocks something.' },
});
