import { sql } from 'kysely';
import { z } from 'zod';
import type { Db, Tx } from '../db/pool.ts';
import { uuid } from '../schemas.ts';
import { defineTask, enqueue } from '../tasks/tasks.ts';
import type { Mailer } from './transport.ts';

export { createTransport, type Mailer, type Transport } from './transport.ts';

export type OutgoingMail = {
  /** Same key, same message: a second queueMail with it is a no-op (a retried task never mails twice). */
  dedupeKey: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
};

export const deliverMail = defineTask({
  name: 'mail.deliver',
  label: 'Send email',
  input: z.object({ messageId: uuid() }),
  maxAttempts: 8,
  run: async ({ messageId }, ctx) =>
    deliver(ctx.db, ctx.mail, messageId, { lastAttempt: ctx.attempt >= ctx.maxAttempts }),
});

/**
 * Records the message in the outbox and schedules its delivery, in the caller's
 * transaction. Returns false when a message with this key was already recorded.
 */
export async function queueMail(tx: Tx, orgId: string | null, mail: OutgoingMail): Promise<boolean> {
  const row = await tx
    .insertInto('mail_outbox')
    .values({
      dedupe_key: mail.dedupeKey,
      to_address: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return false;
  await enqueue(tx, deliverMail, { messageId: row.id }, { orgId });
  return true;
}

/**
 * Sends one outbox message at most once: the row is claimed (queued → sending) before the
 * SMTP call. An attempt that finds it still "sending" means a crash mid-send; resending
 * could duplicate the mail, so it is marked failed for a person to look at instead.
 */
export async function deliver(
  db: Db,
  mail: Mailer,
  messageId: string,
  opts: { lastAttempt?: boolean } = {},
): Promise<{ outcome: string }> {
  const claimed = await db
    .updateTable('mail_outbox')
    .set({ status: 'sending' })
    .where('id', '=', messageId)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
  if (!claimed) {
    const current = await db.selectFrom('mail_outbox').select('status').where('id', '=', messageId).executeTakeFirst();
    if (current?.status === 'sending') {
      await db
        .updateTable('mail_outbox')
        .set({ status: 'failed', error: 'delivery interrupted mid-send; not resent to avoid a duplicate' })
        .where('id', '=', messageId)
        .execute();
      return { outcome: 'interrupted' };
    }
    return { outcome: current ? `already ${current.status}` : 'missing' };
  }
  const messageIdHeader = `<${claimed.id}@ledgerworks>`;
  try {
    await mail.transport.send({
      from: mail.from,
      to: claimed.to_address,
      subject: claimed.subject,
      text: claimed.text_body,
      html: claimed.html_body ?? undefined,
      messageId: messageIdHeader,
    });
  } catch (err) {
    // The server refused before accepting the message: safe to try again, unless this was the last try.
    await db
      .updateTable('mail_outbox')
      .set({ status: opts.lastAttempt ? 'failed' : 'queued', error: err instanceof Error ? err.message : String(err) })
      .where('id', '=', messageId)
      .execute();
    throw err;
  }
  await db
    .updateTable('mail_outbox')
    .set({ status: 'sent', sent_at: sql<Date>`now()`, message_id: messageIdHeader, error: null })
    .where('id', '=', messageId)
    .execute();
  return { outcome: 'sent' };
}
