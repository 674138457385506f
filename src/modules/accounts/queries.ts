import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/pool.ts';
import type { NewUser } from '../../core/db/schema.ts';

export function userByEmail(tx: Tx | Db, email: string) {
  return tx.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function userById(tx: Tx | Db, id: string) {
  return tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Null when the email is taken (the unique index decides, so two racing sign-ups give one account). */
export async function insertUser(tx: Tx, user: NewUser & { id: string }): Promise<boolean> {
  const r = await tx
    .insertInto('users')
    .values(user)
    .onConflict((oc) => oc.column('email').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function insertSession(
  tx: Tx,
  s: {
    id_hash: Buffer;
    user_id: string;
    last_org_id: string | null;
    ip: string | null;
    user_agent: string | null;
    /** How long it lives, or until when (an impersonation's session ends with it). */
    expires: { hours: number } | { at: Date };
    impersonation_id?: string;
  },
): Promise<void> {
  await tx
    .insertInto('sessions')
    .values({
      id_hash: s.id_hash,
      user_id: s.user_id,
      last_org_id: s.last_org_id,
      ip: s.ip,
      user_agent: s.user_agent,
      impersonation_id: s.impersonation_id ?? null,
      expires_at: 'at' in s.expires ? s.expires.at : sql<Date>`now() + make_interval(hours => ${s.expires.hours})`,
    })
    .execute();
}

/** The live session with this id: not past its absolute expiry, not idle too long, user active. */
export function liveSession(db: Db, idHash: Buffer, idleMinutes: number) {
  return (
    db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .leftJoin('impersonations as i', 'i.id', 's.impersonation_id')
      .leftJoin('users as staff', 'staff.id', 'i.staff_user_id')
      .select([
        's.user_id',
        's.impersonation_id',
        'i.staff_user_id as impersonator_id',
        'staff.name as impersonator_name',
        'staff.staff_role as impersonator_role',
        'i.reason as impersonation_reason',
        'i.org_id as impersonation_org_id',
        'i.ends_at as impersonation_ends_at',
        'i.allows_changes as impersonation_allows_changes',
        's.last_org_id',
        's.last_seen_at',
        'u.email',
        'u.name',
        'u.time_zone',
        'u.staff_role',
        's.authenticated_at',
        's.staff_seen_at',
        sql<boolean>`u.totp_enabled_at is not null`.as('two_factor_enabled'),
        sql<boolean>`s.last_seen_at < now() - interval '1 minute'`.as('stale'),
      ])
      .where('s.id_hash', '=', idHash)
      .where('s.expires_at', '>', sql<Date>`now()`)
      .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
      .where('u.is_active', '=', true)
      // An impersonation ends when it is stopped, whatever its session's expiry says.
      .where((eb) => eb.or([eb('s.impersonation_id', 'is', null), eb('i.ended_at', 'is', null)]))
      .executeTakeFirst()
  );
}

export async function touchSession(db: Db, idHash: Buffer): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteSession(tx: Tx | Db, idHash: Buffer): Promise<string | null> {
  const r = await tx.deleteFrom('sessions').where('id_hash', '=', idHash).returning('user_id').executeTakeFirst();
  return r?.user_id ?? null;
}

/** The org the user last worked in (from any session), so signing in lands there again. */
export async function lastUsedOrg(tx: Tx, userId: string): Promise<string | null> {
  const r = await tx
    .selectFrom('sessions')
    .select('last_org_id')
    .where('user_id', '=', userId)
    .where('last_org_id', 'is not', null)
    .orderBy('last_seen_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.last_org_id ?? null;
}
