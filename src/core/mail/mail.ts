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
 * `orgId` is the org the mail is about (invitations, invoice and payout notifications): the
 * message is then that org's tenant data, behind row-level security; null for a person's own
 * account mail (sign-up, password reset, two-factor), readable as before.
 */
export async function queueMail(tx: Tx, orgId: string | null, mail: OutgoingMail): Promise<boolean> {
  const row = await tx
    .insertInto('mail_outbox')
    .values({
      org_id: orgId,
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
 *
 * The row may belong to any org (or none) whatever the run's context, so delivery goes through
 * the outbox's own functions (migration 0018) rather than row-level security.
 */
export async function deliver(
  db: Db,
  mail: Mailer,
  messageId: string,
  opts: { lastAttempt?: boolean } = {},
): Promise<{ outcome: string }> {
  const claimed = (
    await sql<{
      id: string;
      to_address: string;
      subject: string;
      text_body: string;
      html_body: string | null;
    }>`select * from mail_outbox_claim(${messageId}::uuid)`.execute(db)
  ).rows[0];
  if (!claimed) {
    const status = (
      await sql<{
        status: string | null;
      }>`select mail_outbox_unclaimed(${messageId}::uuid, ${INTERRUPTED}) as status`.execute(db)
    ).rows[0]?.status;
    if (status === 'sending') return { outcome: 'interrupted' };
    return { outcome: status ? `already ${status}` : 'missing' };
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
    await settle(
      db,
      messageId,
      opts.lastAttempt ? 'failed' : 'queued',
      err instanceof Error ? err.message : String(err),
    );
    throw err;
  }
  await settle(db, messageId, 'sent', null, messageIdHeader);
  return { outcome: 'sent' };
}

const INTERRUPTED = 'delivery interrupted mid-send; not resent to avoid a duplicate';

async function settle(
  db: Db,
  messageId: string,
  status: 'sent' | 'queued' | 'failed',
  error: string | null,
  messageIdHeader: string | null = null,
): Promise<void> {
  await sql`select mail_outbox_settle(${messageId}::uuid, ${status}, ${error}, ${messageIdHeader})`.execute(db);
}
