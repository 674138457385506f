import { sql } from 'kysely';
import type { Tx } from '../../../core/db/pool.ts';

// What deleting an account changes in each of the person's orgs.

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
