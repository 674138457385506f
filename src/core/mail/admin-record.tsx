// A message's page in the back-office: who it went to, its subject and delivery, never its body
// (it may hold a sign-in, reset or invitation link). A message that failed for good can be resent.
import { None, When } from '../admin/cells.tsx';
import type { RecordDecl, RecordView } from '../admin/record-types.ts';
import { Badge } from '../views/components.tsx';
import { MAIL_TONE } from './mail-status.ts';
import { resendMail } from './resend.ts';

export const mailRecord: RecordDecl = {
  tenant: false,
  idParam: 'messageId',
  auditTarget: 'mail',
  load: async (tx, { id }, { zone }) => {
    const m = await tx
      .selectFrom('mail_outbox')
      .select([
        'id',
        'to_address',
        'subject',
        'status',
        'error',
        'message_id',
        'created_at',
        'sent_at',
        (eb) => eb.fn<number>('length', ['text_body']).as('text_length'),
        (eb) => eb('html_body', 'is not', null).as('has_html'),
      ])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!m) return null;
    const offers: RecordView['offers'] =
      m.status === 'failed'
        ? {
            resend: {
              seen: m.status,
              explain: `Queues it again for delivery to ${m.to_address}, with a new delivery run. If the error says the delivery was interrupted mid-send, the person may get it twice.`,
            },
          }
        : {};
    return {
      title: `Mail: ${m.subject}`,
      subtitle: `to ${m.to_address}`,
      org: null,
      groups: [
        {
          title: 'Message',
          facts: [
            ['To', m.to_address],
            ['Subject', m.subject],
            ['Body', `${m.text_length} characters of text${m.has_html ? ', and HTML' : ''}; never shown here`],
            ['Id', <code>{m.id}</code>],
          ],
        },
        {
          title: 'Delivery',
          facts: [
            ['Delivery', <Badge tone={MAIL_TONE[m.status]}>{m.status}</Badge>],
            ['Error', m.error ? <span class="break">{m.error}</span> : <None />],
            ['Queued', <When value={m.created_at} zone={zone} />],
            ['Sent', <When value={m.sent_at} zone={zone} />],
            ['Message-ID', m.message_id ? <code>{m.message_id}</code> : <None />],
          ],
        },
      ],
      offers,
    };
  },
  actions: [
    {
      name: 'resend',
      label: 'Resend',
      access: 'staff:operator',
      explain: 'Queues a message that failed for good again.',
      run: async (app, actor, { id }) => {
        const { to } = await resendMail(app.db, actor, id);
        return { message: `The message is queued again for ${to}.` };
      },
    },
  ],
};
