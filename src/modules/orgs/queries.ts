import { sql } from 'kysely';
import type { Role } from '../../core/roles.ts';
import type { Tx } from '../../core/db/pool.ts';
import type { OrgSummary } from '../../core/http/types.ts';
import { filterWhere } from '../../core/admin/list-read.ts';
import { auditEntriesWithPeople, withAuditChanges } from '../../core/audit/audit.ts';
import { ACTIVITY_FILTERS, type ActivityFilters } from './activity-filters.ts';
import { countRows } from '../../core/db/count.ts';

/** False when the slug is taken (by any org: the unique index sees through row-level security). */
export async function insertOrganization(tx: Tx, org: { id: string; name: string; slug: string }): Promise<boolean> {
  const r = await tx
    .insertInto('organizations')
    .values(org)
    .onConflict((oc) => oc.column('slug').doNothing())
    .executeTakeFirst();
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
    .select([
      'u.id',
      'u.name',
      'u.email',
      'm.role',
      'm.created_at',
      'm.approval_limit_minor',
      sql<boolean>`u.totp_enabled_at is not null`.as('two_factor'),
    ])
    .where('m.org_id', '=', orgId)
    .orderBy('u.name')
    .orderBy('u.id');
  if (limit !== undefined) q = q.limit(limit);
  return q.execute();
}

export async function memberCount(tx: Tx, orgId: string): Promise<number> {
  return countRows(tx.selectFrom('memberships').where('org_id', '=', orgId));
}

/** The org's entries, newest first, narrowed by the Activity page's filters (values its schema checked). */
export async function auditEntries(
  tx: Tx,
  orgId: string,
  opts: { beforeId?: string; limit: number; filters?: ActivityFilters },
) {
  let q = auditEntriesWithPeople(tx).where('a.org_id', '=', orgId).orderBy('a.id', 'desc').limit(opts.limit);
  if (opts.beforeId) q = q.where('a.id', '<', opts.beforeId);
  for (const c of filterWhere(ACTIVITY_FILTERS, opts.filters ?? {})) q = q.where(c);
  return withAuditChanges(await q.execute());
}

export async function setSessionOrg(tx: Tx, sessionIdHash: Buffer, orgId: string): Promise<void> {
  await tx
    .updateTable('sessions')
    .set({ last_org_id: orgId })
    .where('id_hash', '=', sessionIdHash)
    .where('last_org_id', 'is distinct from', orgId)
    .execute();
}

/** Serializes changes to an org's memberships (two owners demoting each other at once). */
export async function lockOrg(tx: Tx, orgId: string): Promise<void> {
  await tx.selectFrom('organizations').select('id').where('id', '=', orgId).forUpdate().executeTakeFirst();
}

export function membership(tx: Tx, orgId: string, userId: string) {
  return tx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'm.role', 'u.name', 'u.email'])
    .where('m.org_id', '=', orgId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst();
}

export async function ownerCount(tx: Tx, orgId: string): Promise<number> {
  return countRows(tx.selectFrom('memberships').where('org_id', '=', orgId).where('role', '=', 'owner'));
}

/** A conditional update: it names the role it expects to replace, so a concurrent change wins once. */
export async function setRole(tx: Tx, orgId: string, userId: string, from: Role, to: Role): Promise<boolean> {
  const r = await tx
    .updateTable('memberships')
    .set({ role: to, updated_at: new Date() })
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .where('role', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteMembership(tx: Tx, orgId: string, userId: string): Promise<boolean> {
  const r = await tx
    .deleteFrom('memberships')
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Sessions that last worked in this org forget it (the next sign-in lands elsewhere). */
export async function forgetOrgInSessions(tx: Tx, orgId: string, userId: string): Promise<void> {
  await tx
    .updateTable('sessions')
    .set({ last_org_id: null })
    .where('user_id', '=', userId)
    .where('last_org_id', '=', orgId)
    .execute();
}

export function orgSettings(tx: Tx, orgId: string) {
  return tx
    .selectFrom('organizations')
    .select(['id', 'name', 'slug', 'billing_email', 'default_currency', 'approval_threshold_minor', 'require_2fa'])
    .where('id', '=', orgId)
    .executeTakeFirstOrThrow();
}

export function currencies(tx: Tx) {
  return tx.selectFrom('currencies').selectAll().orderBy('code').execute();
}

export async function hasTwoFactor(tx: Tx, userId: string): Promise<boolean> {
  const r = await tx.selectFrom('users').select('totp_enabled_at').where('id', '=', userId).executeTakeFirst();
  return Boolean(r?.totp_enabled_at);
}

export async function updateOrg(
  tx: Tx,
  orgId: string,
  s: {
    name: string;
    billing_email: string | null;
    default_currency: string;
    approval_threshold_minor: string;
    require_2fa: boolean;
  },
): Promise<void> {
  await tx
    .updateTable('organizations')
    .set({ ...s, updated_at: new Date() })
    .where('id', '=', orgId)
    .execute();
}

export function defaultCurrency(tx: Tx, orgId: string) {
  return tx
    .selectFrom('organizations as o')
    .innerJoin('currencies as c', 'c.code', 'o.default_currency')
    .select(['c.code', 'c.minor_units'])
    .where('o.id', '=', orgId)
    .executeTakeFirstOrThrow();
}

export async function approvalLimit(tx: Tx, orgId: string, userId: string): Promise<string | null> {
  const r = await tx
    .selectFrom('memberships')
    .select('approval_limit_minor')
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r?.approval_limit_minor ?? null;
}

export async function setApprovalLimit(
  tx: Tx,
  orgId: string,
  userId: string,
  limitMinor: string | null,
): Promise<void> {
  await tx
    .updateTable('memberships')
    .set({ approval_limit_minor: limitMinor, updated_at: new Date() })
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .execute();
}

/** Revokes the open invitations a person sent in this org; returns how many. */
export async function revokeInvitationsBy(
  tx: Tx,
  orgId: string,
  inviterId: string,
  revokedBy: string,
): Promise<number> {
  const r = await tx
    .updateTable('invitations')
    .set({ revoked_at: sql<Date>`now()`, revoked_by: revokedBy })
    .where('org_id', '=', orgId)
    .where('invited_by', '=', inviterId)
    .where('accepted_at', 'is', null)
    .where('declined_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
