import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db, Tx } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { NotFoundError } from '../../core/http/errors.ts';
import { currentOrg } from '../../core/http/policy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { SUPPORT_ACCESS_AUDIT } from './audit.ts';
import { authorize } from './policy.ts';

// Whether Ledgerworks support may sign in as the org's members (impersonation) without asking:
// 'open', or 'grant' — then only while an access grant an owner gave is live (for some days,
// revocable). The impersonation trigger checks the same rule in the database.

export type SupportAccess = 'open' | 'grant';
export const MAX_GRANT_DAYS = 30;

export const supportAccessSchema = z.object({
  support_access: z.enum(['open', 'grant'], 'Choose whether support must ask first.'),
});

export const grantSchema = z.object({
  days: z.coerce
    .number('Say for how many days.')
    .int('Whole days.')
    .min(1, 'At least one day.')
    .max(MAX_GRANT_DAYS, `At most ${MAX_GRANT_DAYS} days.`),
});

/** Inside the org's transaction: its mode and until when the newest live grant runs. */
export async function supportAccessOf(
  tx: Tx,
  orgId: string,
): Promise<{ supportAccess: SupportAccess; grantedUntil: Date | null }> {
  const org = await tx
    .selectFrom('organizations')
    .select('support_access')
    .where('id', '=', orgId)
    .executeTakeFirstOrThrow();
  const grant = await tx
    .selectFrom('support_access_grants')
    .select(sql<Date | null>`max(expires_at)`.as('until'))
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return { supportAccess: org.support_access, grantedUntil: grant?.until ?? null };
}

/** The settings page's view: the mode and every grant, newest first. */
export async function supportAccessPage(db: Db, actor: UserActor, org: OrgContext) {
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const { supportAccess } = await supportAccessOf(tx, org.id);
    const grants = await tx
      .selectFrom('support_access_grants as g')
      .leftJoin('users as u', 'u.id', 'g.granted_by')
      .select([
        'g.id',
        'u.name as granted_by_name',
        'g.granted_at',
        'g.expires_at',
        'g.revoked_at',
        sql<boolean>`g.revoked_at is null and g.expires_at > now()`.as('live'),
      ])
      .where('g.org_id', '=', org.id)
      .orderBy('g.granted_at', 'desc')
      .limit(50)
      .execute();
    return { supportAccess, grants };
  });
}

export async function setSupportAccess(db: Db, actor: UserActor, org: OrgContext, mode: SupportAccess) {
  return withOrg(db, org.id, actor.userId, async (tx) => {
    authorize(await currentOrg(tx, org, actor), 'org.manage_support_access');
    const before = await supportAccessOf(tx, org.id);
    if (before.supportAccess === mode) return false;
    await tx.updateTable('organizations').set({ support_access: mode }).where('id', '=', org.id).execute();
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: SUPPORT_ACCESS_AUDIT.mode_changed,
      target: { type: 'organization', id: org.id },
      changes: { support_access: { from: before.supportAccess, to: mode } },
    });
    return true;
  });
}

export async function grantSupportAccess(db: Db, actor: UserActor, org: OrgContext, days: number): Promise<Date> {
  return withOrg(db, org.id, actor.userId, async (tx) => {
    authorize(await currentOrg(tx, org, actor), 'org.manage_support_access');
    const id = randomUUID();
    const row = await tx
      .insertInto('support_access_grants')
      .values({
        org_id: org.id,
        id,
        granted_by: actor.userId,
        expires_at: sql<Date>`now() + make_interval(days => ${days})`,
      })
      .returning('expires_at')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: SUPPORT_ACCESS_AUDIT.granted,
      target: { type: 'support_access_grant', id },
      changes: { days, expires_at: row.expires_at.toISOString() },
    });
    return row.expires_at;
  });
}

/** Revokes a live grant; a grant of another org, or one already over, answers 404. */
export async function revokeSupportAccess(db: Db, actor: UserActor, org: OrgContext, grantId: string) {
  return withOrg(db, org.id, actor.userId, async (tx) => {
    authorize(await currentOrg(tx, org, actor), 'org.manage_support_access');
    const r = await tx
      .updateTable('support_access_grants')
      .set({ revoked_at: sql<Date>`now()`, revoked_by: actor.userId })
      .where('org_id', '=', org.id)
      .where('id', '=', grantId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw new NotFoundError('That access grant is not live (already revoked or over).');
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: SUPPORT_ACCESS_AUDIT.revoked,
      target: { type: 'support_access_grant', id: grantId },
    });
  });
}
