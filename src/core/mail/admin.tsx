// The back-office list of the mail outbox. Bodies are never shown: they hold sign-in, reset and
// invitation links (tokens). The subject, the address and the delivery state are enough to answer
// "did the mail go out?".
import { None, RecordLink, When } from '../admin/cells.tsx';
import { defineList, timeSorts, valueOptions } from '../admin/lists.ts';
import { Badge } from '../views/components.tsx';
import { mailRecord } from './admin-record.tsx';
import { MAIL_STATUSES as STATUSES, MAIL_TONE as TONE } from './mail-status.ts';

export const mailOutboxList = defineList({
  name: 'mail',
  title: 'Mail outbox',
  area: 'Operations',
  order: 2,
  description: 'Every message the app sent or tried to send, with its delivery state.',
  query: (tx) =>
    tx
      .selectFrom('mail_outbox as m')
      .select(['m.id', 'm.to_address', 'm.subject', 'm.status', 'm.error', 'm.created_at', 'm.sent_at']),
  key: [{ column: 'm.id', type: 'uuid' }],
  sorts: timeSorts('m.created_at'),
  search: {
    label: 'To',
    hint: 'The start of the recipient address.',
    fields: [{ column: 'm.to_address', match: 'prefix', lower: 'call' }],
  },
  filters: [
    { kind: 'choice', name: 'status', label: 'Delivery', options: valueOptions('m.status', STATUSES) },
    { kind: 'dates', name: 'created', label: 'Queued', column: 'm.created_at' },
  ],
  columns: ({ zone }) => [
    { header: 'To', class: 'break', cell: (m) => m.to_address },
    {
      header: 'Subject',
      cell: (m) => (
        <RecordLink list="mail" id={m.id}>
          {m.subject}
        </RecordLink>
      ),
    },
    { header: 'Delivery', cell: (m) => <Badge tone={TONE[m.status]}>{m.status}</Badge> },
    { header: 'Error', class: 'break small', secondary: true, cell: (m) => m.error?.slice(0, 200) ?? <None /> },
    { header: 'Queued', class: 'nowrap', cell: (m) => <When value={m.created_at} zone={zone} /> },
    { header: 'Sent', class: 'nowrap', secondary: true, cell: (m) => <When value={m.sent_at} zone={zone} /> },
  ],
  record: mailRecord,
  empty: { title: 'No mail yet', hint: 'Every message the app sends is recorded here first.' },
});
