// The daily digest: one mail per person listing the items they chose to receive as a digest.
import { sql } from 'kysely';
import type { Db } from '../../core/db/pool.ts';
import { withUser } from '../../core/db/tenancy.ts';
import type { Links } from '../../core/mail/links.ts';
import { queueMail } from '../../core/mail/mail.ts';

/**
 * For each person with waiting items: in their own user context, one mail and the items
 * marked digested, in one transaction. The mail's key is per person per UTC day, so a rerun
 * sends nothing new; items that arrive after today's digest was sent wait for tomorrow's.
 */
export async function sendDailyDigests(
  db: Db,
  links: Links,
  now: Date,
): Promise<{ people: number; items: number; alreadySent: number }> {
  const recipients = await withUser(db, null, async (tx) =>
    (await sql<{ id: string }>`select notification_digest_recipients() as id`.execute(tx)).rows.map((r) => r.id),
  );
  const day = now.toISOString().slice(0, 10);
  const out = { people: 0, items: 0, alreadySent: 0 };
  for (const userId of recipients) {
    await withUser(db, userId, async (tx) => {
      const user = await tx
        .selectFrom('users')
        .select(['email', 'name', 'is_active'])
        .where('id', '=', userId)
        .executeTakeFirst();
      const items = await tx
        .selectFrom('notification_queue')
        .select(['org_id', 'id', 'subject', 'body', 'link', 'created_at'])
        .where('user_id', '=', userId)
        .where('digested_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      if (!user || items.length === 0) return;
      if (user.is_active) {
        const queued = await queueMail(tx, null, {
          dedupeKey: `digest:${userId}:${day}`,
          to: user.email,
          subject: `Your Ledgerworks digest: ${items.length} notification${items.length === 1 ? '' : 's'}`,
          text: [
            `Hello ${user.name},`,
            '',
            `Here is what happened since your last digest:`,
            ...items.flatMap((i) => ['', `• ${i.subject}`, `  ${i.body.replace(/\n/g, '\n  ')}`, `  ${i.link}`]),
            '',
            '— Ledgerworks',
            `Choose which emails you get: ${links.appLink('/account/notifications')}`,
          ].join('\n'),
        });
        if (!queued) {
          out.alreadySent += 1;
          return;
        }
      }
      await tx
        .updateTable('notification_queue')
        .set({ digested_at: now })
        .where('user_id', '=', userId)
        .where(
          'id',
          'in',
          items.map((i) => i.id),
        )
        .execute();
      out.people += 1;
      out.items += items.length;
    });
  }
  return out;
}
