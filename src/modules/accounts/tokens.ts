import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/pool.ts';
import type { UserTokensTable } from '../../core/db/schema.ts';

// The single-use tokens behind emailed links (password reset, email change, "this was not me"):
// stored as hashes, with a purpose and an expiry.

type Purpose = UserTokensTable['purpose'];

export async function insertToken(
  tx: Tx,
  t: { idHash: Buffer; userId: string; purpose: Purpose; newEmail?: string | null; hours: number },
): Promise<void> {
  await tx
    .insertInto('user_tokens')
    .values({
      id_hash: t.idHash,
      user_id: t.userId,
      purpose: t.purpose,
      new_email: t.newEmail ?? null,
      expires_at: sql<Date>`now() + make_interval(hours => ${t.hours})`,
    })
    .execute();
}

/** A token that can still be used: right purpose, not used, not expired. */
export function usableToken(tx: Tx | Db, idHash: Buffer, purpose: Purpose) {
  return tx
    .selectFrom('user_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.user_id', 't.new_email', 'u.email', 'u.name'])
    .where('t.id_hash', '=', idHash)
    .where('t.purpose', '=', purpose)
    .where('t.used_at', 'is', null)
    .where('t.expires_at', '>', sql<Date>`now()`)
    .where('u.is_active', '=', true)
    .executeTakeFirst();
}

/** Uses a token: a conditional update, so of two concurrent uses exactly one wins. */
export function consumeToken(tx: Tx, idHash: Buffer, purpose: Purpose) {
  return tx
    .updateTable('user_tokens')
    .set({ used_at: sql<Date>`now()` })
    .where('id_hash', '=', idHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['user_id', 'new_email'])
    .executeTakeFirst();
}

/** Marks every still-unused token of these purposes used; returns how many were pending. */
export async function retireTokens(tx: Tx, userId: string, purposes: Purpose[]): Promise<number> {
  const r = await tx
    .updateTable('user_tokens')
    .set({ used_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** True when an unused token of this purpose was issued within the last `minutes`. */
export async function recentToken(tx: Tx, userId: string, purpose: Purpose, minutes: number): Promise<boolean> {
  const r = await tx
    .selectFrom('user_tokens')
    .select('id_hash')
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('created_at', '>', sql<Date>`now() - make_interval(mins => ${minutes})`)
    .executeTakeFirst();
  return r !== undefined;
}
