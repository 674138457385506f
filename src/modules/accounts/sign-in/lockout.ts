import { sql } from 'kysely';
import type { Actor } from '../../../core/audit/audit.ts';
import type { Tx } from '../../../core/db/pool.ts';
import { queueMail } from '../../../core/mail/mail.ts';
import type { Links } from '../../../core/mail/links.ts';
import { auditAccount } from '../audit.ts';

/**
 * Guessing a password (or a two-factor code) gets slower the longer it goes on: every
 * FAILURES_PER_LOCK consecutive failures lock the account, first for FIRST_LOCK_MINUTES,
 * then twice as long each time, up to MAX_LOCK_HOURS. A successful login (or a password
 * reset) starts over.
 */
export const FAILURES_PER_LOCK = 5;
export const FIRST_LOCK_MINUTES = 15;
export const MAX_LOCK_HOURS = 24;

// In SET, column names are the row's values before this update.
const locksNow = sql<boolean>`(failed_logins + 1) % ${FAILURES_PER_LOCK} = 0`;

type LockedUser = { id: string; email: string; name: string };
export type FailureReason = 'wrong password' | 'wrong code';

/**
 * Counts one failed attempt, in SQL so that concurrent failures all count, and starts a
 * lock on every FAILURES_PER_LOCK-th one. An attempt that arrives while the account is
 * locked is not counted (the lock is already the answer) but is audited as 'locked'.
 * Returns the lock in force after this attempt, or null.
 */
export async function recordFailedAttempt(
  tx: Tx,
  links: Links,
  user: LockedUser,
  actor: Actor,
  reason: FailureReason,
  email: string,
): Promise<Date | null> {
  const counted = await tx
    .updateTable('users')
    .set({
      failed_logins: sql<number>`failed_logins + 1`,
      lockouts: sql<number>`lockouts + case when ${locksNow} then 1 else 0 end`,
      locked_until: sql<Date | null>`case when ${locksNow}
        then now() + least(make_interval(mins => ${FIRST_LOCK_MINUTES}) * power(2, least(lockouts, 10)), make_interval(hours => ${MAX_LOCK_HOURS}))
        else locked_until end`,
    })
    .where('id', '=', user.id)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', sql<Date>`now()`)]))
    .returning(['failed_logins', 'lockouts', 'locked_until', sql<boolean>`locked_until > now()`.as('locked')])
    .executeTakeFirst();

  if (!counted) {
    const until = await lockedUntil(tx, user.id);
    await auditFailure(tx, actor, user.id, email, 'locked');
    return until;
  }
  await auditFailure(tx, actor, user.id, email, reason);
  if (!counted.locked || !counted.locked_until) return null;

  const until = counted.locked_until;
  await auditAccount(tx, actor, user.id, 'locked', {
    until,
    attempts: counted.failed_logins,
    lockouts: counted.lockouts,
  });
  await queueMail(tx, null, {
    dedupeKey: `account-locked:${user.id}:${until.getTime()}`,
    to: user.email,
    subject: 'Your Ledgerworks account is temporarily locked',
    text: [
      `Hello ${user.name},`,
      '',
      `After ${counted.failed_logins} failed sign-in attempts in a row, your Ledgerworks account is locked until ${until.toUTCString()} (${inAbout(until.getTime() - Date.now())}).`,
      '',
      'If this was you, wait until then, or reset your password now to unlock it at once:',
      links.appLink('/password/forgot'),
      '',
      'If it was not you, someone may be guessing your password. Resetting it now is a good idea.',
      '',
      '— Ledgerworks',
    ].join('\n'),
  });
  return until;
}

/**
 * Called on a successful login: the count starts over. Conditional on the account not
 * being locked, so a lock that began a moment ago still wins: then that lock's end is
 * returned and nothing changes.
 */
export async function clearFailuresUnlessLocked(tx: Tx, userId: string): Promise<Date | null> {
  const cleared = await tx
    .updateTable('users')
    .set({ failed_logins: 0, lockouts: 0, locked_until: null })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', sql<Date>`now()`)]))
    .executeTakeFirst();
  if (Number(cleared.numUpdatedRows) === 1) return null;
  const r = await tx.selectFrom('users').select('locked_until').where('id', '=', userId).executeTakeFirst();
  return r?.locked_until ?? null;
}

/** When the account's current lock ends, or null when it is not locked. */
export async function lockedUntil(tx: Tx, userId: string): Promise<Date | null> {
  const r = await tx
    .selectFrom('users')
    .select('locked_until')
    .where('id', '=', userId)
    .where('locked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return r?.locked_until ?? null;
}

/** An attempt refused because the account is locked, without counting it. */
export async function auditLockedAttempt(tx: Tx, actor: Actor, userId: string, email: string): Promise<void> {
  await auditFailure(tx, actor, userId, email, 'locked');
}

async function auditFailure(
  tx: Tx,
  actor: Actor,
  userId: string,
  email: string,
  reason: FailureReason | 'locked',
): Promise<void> {
  await auditAccount(tx, actor, userId, 'login_failed', { email, reason });
}

/** "about 15 minutes", "about 2 hours": how long a lock still lasts, in words. */
export function inAbout(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes === 1) return 'about a minute';
  if (minutes < 90) return `about ${minutes} minutes`;
  return `about ${Math.round(minutes / 60)} hours`;
}
