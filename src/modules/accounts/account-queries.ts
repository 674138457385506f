import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/pool.ts';
import type { UserTokensTable } from '../../core/db/schema.ts';
import { withAuditChanges } from '../../core/audit/audit.ts';

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

export function deleteSessionByPublicId(tx: Tx, userId: string, publicId: string) {
  return tx
    .deleteFrom('sessions')
    .where('public_id', '=', publicId)
    .where('user_id', '=', userId)
    .returning(['id_hash', 'ip', 'user_agent'])
    .executeTakeFirst();
}

export function liveSessionsOf(tx: Tx, userId: string, idleMinutes: number) {
  return tx
    .selectFrom('sessions')
    .select(['id_hash', 'public_id', 'ip', 'user_agent', 'created_at', 'last_seen_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', sql<Date>`now()`)
    .where('last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/**
 * Inside one org's transaction: locks the org row (so members cannot come and go while we
 * decide) and counts the other members and other owners. Row-level security needs the org
 * set, which is why this runs once per org.
 */
export async function orgHeadcount(tx: Tx, orgId: string, userId: string) {
  const org = await tx
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('id', '=', orgId)
    .forUpdate()
    .executeTakeFirst();
  if (!org) return null;
  const r = await tx
    .selectFrom('memberships')
    .select([
      sql<number>`count(*) filter (where user_id <> ${userId})::int`.as('others'),
      sql<number>`count(*) filter (where user_id <> ${userId} and role = 'owner')::int`.as('otherOwners'),
      sql<string | null>`max(role) filter (where user_id = ${userId})`.as('role'),
    ])
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return { ...org, ...r };
}

export async function deleteMembership(tx: Tx, orgId: string, userId: string): Promise<void> {
  await tx.deleteFrom('memberships').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
}

export async function deleteOrganization(tx: Tx, orgId: string): Promise<void> {
  await tx.deleteFrom('organizations').where('id', '=', orgId).execute();
}

/** The audit entries about this person's own account, newest first (row-level security allows exactly these). */
export async function securityEvents(tx: Tx, userId: string, limit: number) {
  const rows = await tx
    .selectFrom('audit_log')
    .select(['id', 'action', 'changes', 'ip', 'created_at'])
    .where('org_id', 'is', null)
    .where('target_type', '=', 'user')
    .where('target_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return withAuditChanges(rows);
}
