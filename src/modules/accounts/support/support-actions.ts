import { z } from 'zod';
import { requireStaffRole } from '../../../core/admin/staff-check.ts';
import type { UserActor } from '../../../core/audit/audit.ts';
import type { Db, Tx } from '../../../core/db/pool.ts';
import { withUser } from '../../../core/db/tenancy.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../core/http/errors.ts';
import * as aq from '../account-locks.ts';
import { auditAccount } from '../audit.ts';
import { requestPasswordReset } from '../password-reset/password-reset.ts';

// What support does to a person's account from the back-office: clear a lock, send a reset link,
// sign every device out, disable or re-enable the account. Each re-reads the staff member's role
// and the account in its transaction, and is audited in the person's own log with the staff
// member as actor. The destructive ones take the account's email, typed, as confirmation.

/** The staff member's role, read afresh: a role taken away a second ago no longer acts. */
const requireStaff = requireStaffRole;

async function lockedAccount(tx: Tx, userId: string) {
  const user = await aq.lockUser(tx, userId);
  if (!user) throw new NotFoundError('There is no such account.');
  if (user.staff_role) throw new ConflictError('Staff accounts are managed with `ledgerworks staff`, not here.');
  return user;
}

/** The account's email, typed: what a destructive action asks before it happens. */
export const typedConfirmation = (email: string) =>
  z.object({
    confirm: z
      .string('Type the email address to confirm.')
      .trim()
      .toLowerCase()
      .refine((v) => v === email, 'That is not the email address of this account: nothing was changed.'),
  });

export const disableSchema = z.object({
  confirm: z.string().max(320).optional(),
  reason: z
    .string('Give the reason.')
    .trim()
    .min(3, 'Give the reason (at least 3 characters).')
    .max(200, 'Keep it under 200 characters.'),
});

function confirmOrRefuse(email: string, confirm: string | undefined): void {
  const r = typedConfirmation(email).safeParse({ confirm: confirm ?? '' });
  if (!r.success) throw new ValidationError({ confirm: r.error.issues[0]?.message ?? 'Type the email to confirm.' });
}

/** A staff member opened the account's page: one entry per page view, in the person's log. */
export async function recordStaffView(db: Db, actor: UserActor, userId: string): Promise<void> {
  await withUser(db, actor.userId, (tx) => auditAccount(tx, actor, userId, 'viewed_by_staff'));
}

/** Clears a sign-in lock and the failure count; false when the account was not locked. */
export async function unlockAccount(db: Db, actor: UserActor, userId: string): Promise<boolean> {
  return withUser(db, actor.userId, async (tx) => {
    await requireStaff(tx, actor, 'staff:support');
    const user = await lockedAccount(tx, userId);
    const wasLocked = !!user.locked_until && user.locked_until > new Date();
    if (!wasLocked && user.failed_logins === 0) return false;
    await tx.updateTable('users').set({ locked_until: null, failed_logins: 0 }).where('id', '=', userId).execute();
    await auditAccount(tx, actor, userId, 'unlocked', { was_locked_until: user.locked_until?.toISOString() ?? null });
    return true;
  });
}

/** Sends the person a reset link, as "forgot password" would (the same limits and mail). */
export async function sendResetLink(db: Db, actor: UserActor, userId: string): Promise<string> {
  const user = await withUser(db, actor.userId, async (tx) => {
    await requireStaff(tx, actor, 'staff:support');
    const u = await lockedAccount(tx, userId);
    if (!u.is_active) throw new ConflictError('This account is disabled: enable it first.');
    return u;
  });
  await requestPasswordReset(db, actor, user.email);
  return user.email;
}

/** Signs out every device of the person; needs their email typed. Returns how many sessions ended. */
export async function revokeAllSessions(db: Db, actor: UserActor, userId: string, confirm?: string): Promise<number> {
  return withUser(db, actor.userId, async (tx) => {
    await requireStaff(tx, actor, 'staff:support');
    const user = await lockedAccount(tx, userId);
    confirmOrRefuse(user.email, confirm);
    const ended = await aq.deleteSessionsOf(tx, userId);
    await auditAccount(tx, actor, userId, 'all_sessions_revoked', { devices_signed_out: ended });
    return ended;
  });
}

/** Disables the account (no sign-in, every session ended) with a reason; needs the email typed. */
export async function disableAccount(
  db: Db,
  actor: UserActor,
  userId: string,
  input: z.infer<typeof disableSchema>,
): Promise<void> {
  await withUser(db, actor.userId, async (tx) => {
    await requireStaff(tx, actor, 'staff:superuser');
    const user = await lockedAccount(tx, userId);
    if (!user.is_active) throw new ConflictError('This account is already disabled.');
    confirmOrRefuse(user.email, input.confirm);
    await tx.updateTable('users').set({ is_active: false }).where('id', '=', userId).execute();
    const ended = await aq.deleteSessionsOf(tx, userId);
    await auditAccount(tx, actor, userId, 'disabled', { reason: input.reason, devices_signed_out: ended });
  });
}

export async function enableAccount(db: Db, actor: UserActor, userId: string, reason: string): Promise<void> {
  await withUser(db, actor.userId, async (tx) => {
    await requireStaff(tx, actor, 'staff:superuser');
    const user = await lockedAccount(tx, userId);
    if (user.is_active) throw new ConflictError('This account is already enabled.');
    if (user.deactivated_at)
      throw new ConflictError('Its owner deleted this account: it cannot be enabled again (they can sign up anew).');
    await tx.updateTable('users').set({ is_active: true }).where('id', '=', userId).execute();
    await auditAccount(tx, actor, userId, 'enabled', { reason });
  });
}
