import { sql } from 'kysely';
import type { Tx } from '../../../core/db/pool.ts';
import { countRows } from '../../../core/db/count.ts';

/**
 * The person's two-factor state. With `lock`, their row stays locked until the transaction
 * ends, so a check and the change it allows cannot interleave with another request's.
 */
export function twoFactorUser(tx: Tx, userId: string, opts: { lock: boolean }) {
  let q = tx
    .selectFrom('users')
    .select(['id', 'email', 'name', 'password_hash', 'is_active', 'totp_secret', 'totp_enabled_at'])
    .where('id', '=', userId);
  if (opts.lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export type TwoFactorUser = NonNullable<Awaited<ReturnType<typeof twoFactorUser>>>;

/** A new secret while enrolling; never replaces the secret of an enabled second factor. */
export async function setPendingSecret(tx: Tx, userId: string, sealed: string): Promise<boolean> {
  const r = await tx
    .updateTable('users')
    .set({ totp_secret: sealed, totp_last_step: null })
    .where('id', '=', userId)
    .where('totp_enabled_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Turns two-factor on for the secret the first code was checked against (not one replaced meanwhile). */
export async function enableTwoFactor(tx: Tx, userId: string, sealed: string, step: number): Promise<Date | null> {
  const r = await tx
    .updateTable('users')
    .set({ totp_enabled_at: sql<Date>`now()`, totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_enabled_at', 'is', null)
    .where('totp_secret', '=', sealed)
    .returning('totp_enabled_at')
    .executeTakeFirst();
  return r?.totp_enabled_at ?? null;
}

/** Replay guard: a time step can be used once; a code of an earlier step than the last one used is refused too. */
export async function claimStep(tx: Tx, userId: string, step: number): Promise<boolean> {
  const r = await tx
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_enabled_at', 'is not', null)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function disableTwoFactor(tx: Tx, userId: string): Promise<boolean> {
  const r = await tx
    .updateTable('users')
    .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null })
    .where('id', '=', userId)
    .where('totp_enabled_at', 'is not', null)
    .executeTakeFirst();
  await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  return Number(r.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(tx: Tx, userId: string, hashes: Buffer[]): Promise<void> {
  await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await tx
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute();
}

/** Marks a recovery code used; false when it does not exist or was used before (each works once). */
export async function useRecoveryCode(tx: Tx, userId: string, hash: Buffer): Promise<boolean> {
  const r = await tx
    .updateTable('recovery_codes')
    .set({ used_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function recoveryCodesLeft(tx: Tx, userId: string): Promise<number> {
  return countRows(tx.selectFrom('recovery_codes').where('user_id', '=', userId).where('used_at', 'is', null));
}

/** Ends every session of the user except `keep` (the one turning two-factor on). */
export async function endOtherSessions(tx: Tx, userId: string, keep: Buffer | null): Promise<number> {
  let q = tx.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) q = q.where('id_hash', '!=', keep);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}
