import type { Role } from '../../core/db/schema.ts';
import type { Tx } from '../../core/db/pool.ts';
import type { OrgSummary } from '../../core/http/types.ts';

/** False when the slug is taken (by any org: the unique index sees through row-level security). */
export async function insertOrganization(tx: Tx, org: { id: string; name: string; slug: string }): Promise<boolean> {
  const r = await tx.insertInto('organizations').values(org).onConflict((oc) => oc.column('slug').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function insertMembership(tx: Tx, m: { org_id: string; user_id: string; role: Role }): Promise<void> {
  await tx.insertInto('memberships').values(m).execute();
}

export function orgsOfUser(tx: Tx, userId: string): Promise<OrgSummary[]> {
  return tx
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.org_id')
    .select(['o.id', 'o.slug', 'o.name', 'm.role', 'o.require_2fa as require2fa'])
    .where('m.user_id', '=', userId)
    .orderBy('o.name')
    .execute();
}

export function membersOf(tx: Tx, orgId: string, limit?: number) {
  let q = tx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name', 'u.email', 'm.role', 'm.created_at'])
    .where('m.org_id', '=', orgId)
    .orderBy('u.name')
    .orderBy('u.id');
  if (limit !== undefined) q = q.limit(limit);
  return q.execute();
}

export async function memberCount(tx: Tx, orgId: string): Promise<number> {
  const r = await tx.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export function auditEntries(tx: Tx, orgId: string, opts: { beforeId?: string; limit: number }) {
  let q = tx
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .select(['a.id', 'a.action', 'a.target_type', 'a.target_id', 'a.changes', 'a.created_at', 'a.ip', 'u.name as actor_name', 'u.email as actor_email'])
    .where('a.org_id', '=', orgId)
    .orderBy('a.id', 'desc')
    .limit(opts.limit);
  if (opts.beforeId) q = q.where('a.id', '<', opts.beforeId);
  return q.execute();
}

export async function setSessionOrg(tx: Tx, sessionIdHash: Buffer, orgId: string): Promise<void> {
  await tx.updateTable('sessions').set({ last_org_id: orgId }).where('id_hash', '=', sessionIdHash).where('last_org_id', 'is distinct from', orgId).execute();
}
