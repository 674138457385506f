// Delivers one notification to each recipient the way they chose: an email now (through the
// outbox, deduplicated by key), an item for their daily digest, or nothing.
import type { Tx } from '../../core/db/pool.ts';
import type { Links } from '../../core/mail/links.ts';
import { queueMail } from '../../core/mail/mail.ts';
import { DEFAULT_DELIVERY, type NotificationKind } from './kinds.ts';
import * as q from './queries.ts';

export type Notice = {
  kind: NotificationKind;
  /** Names the event, e.g. `invoice_approved:<invoiceId>:<historyId>`: with the recipient it makes the dedupe key. */
  event: string;
  subject: string;
  /** The message, without greeting or footer. */
  body: string;
  /** Path inside the app, e.g. /o/acme/invoices/<id>. */
  path: string;
};

export type NoticeOutcome = { immediate: number; digest: number; off: number; duplicate: number };

/** The dedupe key of one event for one person: a retried task finds it and sends nothing new. */
export function noticeKey(event: string, userId: string): string {
  return `notify:${event}:${userId}`;
}

export async function deliverNotice(
  tx: Tx,
  links: Links,
  orgId: string,
  notice: Notice,
  recipientIds: string[],
): Promise<NoticeOutcome> {
  const out: NoticeOutcome = { immediate: 0, digest: 0, off: 0, duplicate: 0 };
  const users = (await q.usersByIds(tx, [...new Set(recipientIds)])).filter((u) => u.is_active);
  const deliveries = await q.deliveriesOf(
    tx,
    users.map((u) => u.id),
  );
  const link = links.appLink(notice.path);
  for (const user of users) {
    const delivery = deliveries.get(`${user.id}:${notice.kind}`) ?? DEFAULT_DELIVERY;
    const dedupeKey = noticeKey(notice.event, user.id);
    if (delivery === 'off') {
      out.off += 1;
      continue;
    }
    const fresh =
      delivery === 'digest'
        ? await q.insertDigestItem(tx, {
            orgId,
            userId: user.id,
            kind: notice.kind,
            dedupeKey,
            subject: notice.subject,
            body: notice.body,
            link,
          })
        : await queueMail(tx, orgId, {
            dedupeKey,
            to: user.email,
            subject: notice.subject,
            text: [
              `Hello ${user.name},`,
              '',
              notice.body,
              '',
              link,
              '',
              '— Ledgerworks',
              `Choose which emails you get: ${links.appLink('/account/notifications')}`,
            ].join('\n'),
          });
    if (!fresh) out.duplicate += 1;
    else out[delivery] += 1;
  }
  return out;
}
