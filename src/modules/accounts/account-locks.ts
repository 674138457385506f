import type { Tx } from '../../core/db/pool.ts';

// Row locks and session ends that several account changes share.

/** Locks the user's row so that concurrent account changes queue up behind each other. */
export function lockUser(tx: Tx, userId: string) {
  return tx.selectFrom('users').selectAll().where('id', '=', userId).forUpdate().executeTakeFirst();
}

export function lockUserByEmail(tx: Tx, email: string) {
  return tx.selectFrom('users').selectAll().where('email', '=', email).forUpdate().executeTakeFirst();
}

/** Ends sessions of a user, all of them or all but one; returns how many ended. */
export async function deleteSessionsOf(tx: Tx, userId: string, opts: { except?: Buffer | null } = {}): Promise<number> {
  let q = tx.deleteFrom('sessions').where('user_id', '=', userId);
  if (opts.except) q = q.where('id_hash', '!=', opts.except);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}
