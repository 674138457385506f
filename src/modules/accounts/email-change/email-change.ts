import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor, UserActor } from '../../../core/audit/audit.ts';
import type { Db } from '../../../core/db/pool.ts';
import { withUser } from '../../../core/db/tenancy.ts';
import { ConflictError, ValidationError } from '../../../core/http/errors.ts';
import { queueMail } from '../../../core/mail/mail.ts';
import { emailAddress } from '../../../core/schemas.ts';
import { hashToken, newToken } from '../../../core/security/tokens.ts';
import * as aq from '../account-locks.ts';
import * as tokens from '../tokens.ts';
import { emailChangeConfirmMail, emailChangedMail, emailChangeNoticeMail, emailChangeReportedMail } from '../emails.ts';
import { userByEmail } from '../queries.ts';
import { userWithPassword } from '../settings/settings.ts';
import type { Links } from '../../../core/mail/links.ts';
import { auditAccount } from '../audit.ts';

export const emailChangeSchema = z.object({
  new_email: emailAddress,
  current_password: z.string().min(1, 'Enter your current password.').max(200),
});

const CONFIRM_HOURS = 24;
/** The old address can report a change for a week, even after it took effect. */
const REPORT_HOURS = 24 * 7;

const TAKEN = 'That address belongs to another account.';

/**
 * Starts an email change: nothing changes until the new address confirms. The new
 * address gets the confirmation link, the old one a notice with a "this was not me" link.
 * A new request replaces a pending one.
 */
export async function requestEmailChange(
  db: Db,
  actor: UserActor,
  links: Links,
  input: z.infer<typeof emailChangeSchema>,
): Promise<void> {
  const user = await userWithPassword(db, actor.userId, input.current_password);
  if (input.new_email === user.email) throw new ValidationError({ new_email: 'That is already your email address.' });
  if (await userByEmail(db, input.new_email)) throw new ValidationError({ new_email: TAKEN });

  const confirm = newToken();
  const report = newToken();
  await withUser(db, actor.userId, async (tx) => {
    await aq.lockUser(tx, user.id);
    await tokens.retireTokens(tx, user.id, ['email_change']);
    await tokens.insertToken(tx, {
      idHash: hashToken(confirm),
      userId: user.id,
      purpose: 'email_change',
      newEmail: input.new_email,
      hours: CONFIRM_HOURS,
    });
    await tokens.insertToken(tx, {
      idHash: hashToken(report),
      userId: user.id,
      purpose: 'email_change_report',
      newEmail: input.new_email,
      hours: REPORT_HOURS,
    });
    await auditAccount(tx, actor, user.id, 'email_change_requested', { email: user.email, new_email: input.new_email });
    const key = hashToken(confirm).toString('hex');
    await queueMail(tx, null, {
      dedupeKey: `email-change-confirm:${key}`,
      to: input.new_email,
      ...emailChangeConfirmMail(links, user.name, input.new_email, confirm),
    });
    await queueMail(tx, null, {
      dedupeKey: `email-change-notice:${key}`,
      to: user.email,
      ...emailChangeNoticeMail(links, user.name, input.new_email, report),
    });
  });
}

export function emailChangeLink(db: Db, token: string) {
  return tokens.usableToken(db, hashToken(token), 'email_change');
}

export function emailReportLink(db: Db, token: string) {
  return tokens.usableToken(db, hashToken(token), 'email_change_report');
}

/**
 * Confirms a change from the new mailbox. The address is checked again (another account
 * may have taken it meanwhile); the unique index settles a race, answered as a clear
 * message. Null when the link cannot be used.
 */
export async function confirmEmailChange(db: Db, meta: Actor, token: string): Promise<{ newEmail: string } | null> {
  const idHash = hashToken(token);
  try {
    return await withUser(db, null, async (tx) => {
      const used = await tokens.consumeToken(tx, idHash, 'email_change');
      if (!used?.new_email) return null;
      const user = await aq.lockUser(tx, used.user_id);
      if (!user?.is_active) return null;
      const owner = await userByEmail(tx, used.new_email);
      if (owner && owner.id !== user.id) throw new ConflictError(`${TAKEN} Your email address was not changed.`);
      await tx
        .updateTable('users')
        .set({ email: used.new_email, updated_at: sql<Date>`now()` })
        .where('id', '=', user.id)
        .execute();
      // Reset links already sent to the old address stop working: that mailbox may be why the address changed.
      await tokens.retireTokens(tx, user.id, ['email_change', 'password_reset']);
      await auditAccount(tx, { ...meta, userId: user.id }, user.id, 'email_changed', {
        old_email: user.email,
        new_email: used.new_email,
      });
      await queueMail(tx, null, {
        dedupeKey: `email-changed:${idHash.toString('hex')}`,
        to: used.new_email,
        ...emailChangedMail(user.name, used.new_email),
      });
      return { newEmail: used.new_email };
    });
  } catch (err) {
    if (
      (err as { code?: string; constraint?: string }).code === '23505' &&
      (err as { constraint?: string }).constraint === 'users_email_key'
    ) {
      throw new ConflictError(`${TAKEN} Your email address was not changed.`);
    }
    throw err;
  }
}

/**
 * "This was not me", from the old mailbox: cancels a pending change and signs out every
 * device, since whoever asked for the change was signed in. Null when the link cannot be used.
 */
export async function reportEmailChange(
  db: Db,
  meta: Actor,
  links: Links,
  token: string,
): Promise<{ alreadyChanged: boolean } | null> {
  const idHash = hashToken(token);
  return withUser(db, null, async (tx) => {
    const used = await tokens.consumeToken(tx, idHash, 'email_change_report');
    if (!used) return null;
    const user = await aq.lockUser(tx, used.user_id);
    if (!user?.is_active) return null;
    const cancelled = await tokens.retireTokens(tx, user.id, ['email_change']);
    const sessionsEnded = await aq.deleteSessionsOf(tx, user.id);
    // Once confirmed, the account's address is the reported one: no mail goes there.
    const alreadyChanged = user.email === used.new_email;
    await auditAccount(tx, { ...meta, userId: user.id }, user.id, 'email_change_reported', {
      reported_email: used.new_email,
      pending_change_cancelled: cancelled > 0,
      already_changed: alreadyChanged,
      devices_signed_out: sessionsEnded,
    });
    if (!alreadyChanged)
      await queueMail(tx, null, {
        dedupeKey: `email-change-reported:${idHash.toString('hex')}`,
        to: user.email,
        ...emailChangeReportedMail(links, user.name),
      });
    return { alreadyChanged };
  });
}
