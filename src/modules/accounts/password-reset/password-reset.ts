import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../../core/audit/audit.ts';
import type { Db, Tx } from '../../../core/db/pool.ts';
import { withUser } from '../../../core/db/tenancy.ts';
import { queueMail } from '../../../core/mail/mail.ts';
import { emailAddress } from '../../../core/schemas.ts';
import { hashPassword } from '../../../core/security/passwords.ts';
import { hashToken, newToken } from '../../../core/security/tokens.ts';
import { defineTask, enqueue } from '../../../core/tasks/tasks.ts';
import * as aq from '../account-locks.ts';
import * as tokens from '../tokens.ts';
import { passwordChangedMail, passwordResetMail } from '../emails.ts';
import { newPassword } from '../passwords.ts';
import type { Links } from '../../../core/mail/links.ts';
import { auditAccount } from '../audit.ts';

export const forgotPasswordSchema = z.object({ email: emailAddress });
export const resetPasswordSchema = z.object({ password: newPassword });

const RESET_LINK_HOURS = 1;
/** A second request this soon after the first sends nothing: the first email is on its way. */
const RESEND_AFTER_MINUTES = 2;

const requestInput = z.object({
  email: z.string().max(254),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
});

export const sendPasswordReset = defineTask({
  name: 'accounts.send_password_reset',
  label: 'Password reset email',
  input: requestInput,
  maxAttempts: 5,
  run: async (input, ctx) => ctx.transaction((tx) => issuePasswordReset(tx, ctx.links, input)),
});

/**
 * The request only enqueues: looking the address up happens in the background, so the
 * answer (and its timing) is the same whether or not an account has this address.
 */
export async function requestPasswordReset(db: Db, actor: Actor, address: string): Promise<void> {
  await withUser(db, null, (tx) =>
    enqueue(
      tx,
      sendPasswordReset,
      { email: address, requestId: actor.requestId ?? null, ip: actor.ip ?? null },
      { orgId: null },
    ),
  );
}

/** Creates a single-use reset link and emails it, unless there is no active account or a link was just sent. */
export async function issuePasswordReset(
  tx: Tx,
  links: Links,
  input: z.infer<typeof requestInput>,
): Promise<{ issued: boolean }> {
  const user = await aq.lockUserByEmail(tx, input.email);
  if (!user || !user.is_active) return { issued: false };
  if (await tokens.recentToken(tx, user.id, 'password_reset', RESEND_AFTER_MINUTES)) return { issued: false };
  const token = newToken();
  const idHash = hashToken(token);
  await tokens.insertToken(tx, { idHash, userId: user.id, purpose: 'password_reset', hours: RESET_LINK_HOURS });
  await auditAccount(
    tx,
    { userId: null, requestId: input.requestId, ip: input.ip },
    user.id,
    'password_reset_requested',
  );
  await queueMail(tx, null, {
    dedupeKey: `password-reset:${idHash.toString('hex')}`,
    to: user.email,
    ...passwordResetMail(links, user.name, token),
  });
  return { issued: true };
}

/** The person a reset link is for, while it can still be used. */
export function resetLinkOwner(db: Db, token: string) {
  return tokens.usableToken(db, hashToken(token), 'password_reset');
}

/**
 * Sets the new password, uses up every reset link of the account, unlocks it and ends all
 * of its sessions (whoever knew the old password is signed out). False when the link
 * is unknown, used, expired or for an inactive account.
 */
export async function resetPassword(
  db: Db,
  meta: Actor,
  links: Links,
  token: string,
  password: string,
): Promise<boolean> {
  const idHash = hashToken(token);
  const passwordHash = await hashPassword(password);
  return withUser(db, null, async (tx) => {
    const used = await tokens.consumeToken(tx, idHash, 'password_reset');
    if (!used) return false;
    const user = await aq.lockUser(tx, used.user_id);
    if (!user?.is_active) return false;
    await tx
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        password_changed_at: sql<Date>`now()`,
        failed_logins: 0,
        lockouts: 0,
        locked_until: null,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', user.id)
      .execute();
    await tokens.retireTokens(tx, user.id, ['password_reset']);
    const sessionsEnded = await aq.deleteSessionsOf(tx, user.id);
    await auditAccount(tx, { ...meta, userId: user.id }, user.id, 'password_reset', {
      devices_signed_out: sessionsEnded,
      was_locked: user.locked_until !== null || user.failed_logins > 0,
    });
    await queueMail(tx, null, {
      dedupeKey: `password-changed:${idHash.toString('hex')}`,
      to: user.email,
      ...passwordChangedMail(links, user.name, 'reset'),
    });
    return true;
  });
}
