import { sql } from 'kysely';
import type { Db, Tx } from '../../../core/db/pool.ts';

// The impersonations table: one row per impersonation, its end written once.

export async function insertImpersonation(
  tx: Tx,
  i: {
    id: string;
    staff_user_id: string;
    user_id: string;
    org_id: string | null;
    reason: string;
    allows_changes: boolean;
    change_reason: string | null;
    minutes: number;
  },
): Promise<Date> {
  const row = await tx
    .insertInto('impersonations')
    .values({
      id: i.id,
      staff_user_id: i.staff_user_id,
      user_id: i.user_id,
      org_id: i.org_id,
      reason: i.reason,
      allows_changes: i.allows_changes,
      change_reason: i.change_reason,
      ends_at: sql<Date>`now() + make_interval(mins => ${i.minutes})`,
    })
    .returning('ends_at')
    .executeTakeFirstOrThrow();
  return row.ends_at;
}

export function impersonationById(db: Db | Tx, id: string) {
  return db
    .selectFrom('impersonations')
    .select(['id', 'staff_user_id', 'user_id', 'org_id', 'reason', 'ends_at', 'ended_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Writes the end of a running impersonation; false when it had ended already (a second stop). */
export async function closeImpersonation(tx: Tx, id: string, how: 'stopped' | 'expired' | 'signed_out') {
  const r = await tx
    .updateTable('impersonations')
    .set({ ended_at: sql<Date>`least(now(), ends_at)`, ended_how: how })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteImpersonationSession(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('sessions').where('impersonation_id', '=', id).execute();
}

export async function impersonationOfSession(db: Db, idHash: Buffer): Promise<string | null> {
  const row = await db
    .selectFrom('sessions')
    .select('impersonation_id')
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  return row?.impersonation_id ?? null;
}

export async function expiredOpenImpersonations(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('impersonations')
    .select('id')
    .where('ended_at', 'is', null)
    .where('ends_at', '<=', sql<Date>`now()`)
    .orderBy('ends_at')
    .limit(1000)
    .execute();
  return rows.map((r) => r.id);
}

/** A person's impersonations, newest first: their security page and the staff user page show them. */
export function impersonationsOf(db: Db | Tx, userId: string, limit: number) {
  return db
    .selectFrom('impersonations as i')
    .innerJoin('users as s', 's.id', 'i.staff_user_id')
    .select([
      'i.id',
      's.name as staff_name',
      'i.reason',
      'i.allows_changes',
      'i.change_reason',
      'i.started_at',
      'i.ends_at',
      'i.ended_at',
      'i.ended_how',
    ])
    .where('i.user_id', '=', userId)
    .orderBy('i.started_at', 'desc')
    .limit(limit)
    .execute();
}
