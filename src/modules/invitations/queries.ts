import { sql } from 'kysely';
import type { Tx } from '../../core/db/pool.ts';
import type { Role } from '../../core/roles.ts';

const OPEN = sql<boolean>`accepted_at is null and declined_at is null and revoked_at is null`;

/** The invitation a token opens, found without an org context (the invitee is not a member yet). */
export async function invitationIdByToken(tx: Tx, tokenHash: Buffer): Promise<{ org_id: string; id: string } | null> {
  const r = await sql<{ org_id: string; id: string }>`select org_id, id from invitation_by_token(${tokenHash})`.execute(
    tx,
  );
  return r.rows[0] ?? null;
}

/** What the invitations list shows of one (users as u: who invited). */
const LISTED = [
  'i.id',
  'i.email',
  'i.role',
  'i.created_at',
  'i.expires_at',
  'i.last_sent_at',
  'i.send_count',
  'u.name as invited_by_name',
  sql<boolean>`i.expires_at <= now()`.as('expired'),
] as const;

export function invitation(tx: Tx, orgId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = tx
    .selectFrom('invitations as i')
    .innerJoin('organizations as o', 'o.id', 'i.org_id')
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .select([
      ...LISTED,
      'i.org_id',
      'i.accepted_at',
      'i.declined_at',
      'i.revoked_at',
      'o.name as org_name',
      'o.slug as org_slug',
      'o.require_2fa as org_require_2fa',
    ])
    .where('i.org_id', '=', orgId)
    .where('i.id', '=', id);
  if (opts.forUpdate) q = q.forUpdate('i');
  return q.executeTakeFirst();
}

export function openInvitations(tx: Tx, orgId: string) {
  return tx
    .selectFrom('invitations as i')
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .select(LISTED)
    .where('i.org_id', '=', orgId)
    .where(OPEN)
    .orderBy('i.created_at', 'desc')
    .execute();
}

export function openInvitationFor(tx: Tx, orgId: string, email: string) {
  return tx
    .selectFrom('invitations')
    .select(['id', 'last_sent_at', sql<boolean>`expires_at <= now()`.as('expired')])
    .where('org_id', '=', orgId)
    .where('email', '=', email)
    .where(OPEN)
    .executeTakeFirst();
}

export async function isMemberByEmail(tx: Tx, orgId: string, email: string): Promise<boolean> {
  const r = await tx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('m.user_id')
    .where('m.org_id', '=', orgId)
    .where('u.email', '=', email)
    .executeTakeFirst();
  return Boolean(r);
}

/** Null when an open invitation for this address already exists (the partial unique index decides). */
export async function insertInvitation(
  tx: Tx,
  inv: { org_id: string; email: string; role: Role; token_hash: Buffer; invited_by: string; days: number },
): Promise<string | null> {
  const r = await tx
    .insertInto('invitations')
    .values({
      org_id: inv.org_id,
      email: inv.email,
      role: inv.role,
      token_hash: inv.token_hash,
      invited_by: inv.invited_by,
      expires_at: sql<Date>`now() + make_interval(days => ${inv.days})`,
    })
    .onConflict((oc) => oc.columns(['org_id', 'email']).where(OPEN).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

/** Closes an expired invitation so a new one can be sent to the same address. */
export async function closeExpired(tx: Tx, orgId: string, id: string): Promise<void> {
  await tx
    .updateTable('invitations')
    .set({ revoked_at: sql<Date>`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where(OPEN)
    .where('expires_at', '<=', sql<Date>`now()`)
    .execute();
}

/**
 * A new link for an open invitation (the old one stops working), valid for another `days`.
 * Conditional on the last send being older than `minMinutes`: a double click resends once.
 */
export async function renewToken(
  tx: Tx,
  orgId: string,
  id: string,
  tokenHash: Buffer,
  days: number,
  minMinutes: number,
): Promise<number | null> {
  const r = await tx
    .updateTable('invitations')
    .set({
      token_hash: tokenHash,
      expires_at: sql<Date>`now() + make_interval(days => ${days})`,
      last_sent_at: sql<Date>`now()`,
      send_count: sql<number>`send_count + 1`,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where(OPEN)
    .where('last_sent_at', '<', sql<Date>`now() - make_interval(mins => ${minMinutes})`)
    .returning('send_count')
    .executeTakeFirst();
  return r?.send_count ?? null;
}

export async function close(
  tx: Tx,
  orgId: string,
  id: string,
  outcome: 'accepted' | 'declined' | 'revoked',
  byUserId: string | null,
): Promise<boolean> {
  const set =
    outcome === 'accepted'
      ? { accepted_at: sql<Date>`now()`, accepted_by: byUserId }
      : outcome === 'declined'
        ? { declined_at: sql<Date>`now()` }
        : { revoked_at: sql<Date>`now()`, revoked_by: byUserId };
  const r = await tx
    .updateTable('invitations')
    .set(set)
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where(OPEN)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The inviter's name, as the invitation email says it. */
export async function personName(tx: Tx, userId: string): Promise<string> {
  const r = await tx.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirstOrThrow();
  return r.name;
}
