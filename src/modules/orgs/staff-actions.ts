// What a superuser may do with an organization from the back-office: when no owner can act any
// more (the last one left the company: their account is disabled or deleted), make a member the
// owner, with a stated reason. The org row is locked first, as for every membership change.
import { randomUUID } from 'node:crypto';
import { asStaffInOrg } from '../../core/admin/staff-check.ts';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db, Tx } from '../../core/db/pool.ts';
import { ConflictError, NotFoundError } from '../../core/http/errors.ts';
import { queueMail } from '../../core/mail/mail.ts';
import { MEMBER_AUDIT } from './audit.ts';
import * as q from './queries.ts';

/** Owners who can still sign in and act. */
export async function activeOwnerCount(tx: Tx, orgId: string): Promise<number> {
  const r = await tx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('m.org_id', '=', orgId)
    .where('m.role', '=', 'owner')
    .where('u.is_active', '=', true)
    .where('u.deactivated_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function transferOwnership(
  db: Db,
  actor: UserActor,
  orgId: string,
  userId: string,
  reason: string,
): Promise<{ name: string; orgName: string }> {
  return asStaffInOrg(db, actor, orgId, 'staff:superuser', async (tx) => {
    await q.lockOrg(tx, orgId);
    if ((await activeOwnerCount(tx, orgId)) > 0)
      throw new ConflictError('This organization has an owner who can act: they change roles, not support.');
    const member = await q.membership(tx, orgId, userId);
    if (!member) throw new NotFoundError('That person is not a member of this organization any more.');
    if (!(await q.setRole(tx, orgId, userId, member.role, 'owner')))
      throw new ConflictError('Someone changed this member at the same moment. Reload the page.');
    await recordAudit(tx, {
      orgId,
      actor,
      action: MEMBER_AUDIT.role_changed,
      target: { type: 'user', id: userId },
      changes: { email: member.email, from: member.role, to: 'owner', reason, by: 'Ledgerworks support' },
    });
    const org = await tx.selectFrom('organizations').select('name').where('id', '=', orgId).executeTakeFirstOrThrow();
    await queueMail(tx, orgId, {
      dedupeKey: `member.made_owner:${randomUUID()}`,
      to: member.email,
      subject: `You are now an owner of ${org.name}`,
      text: `Hello ${member.name},\n\nNo owner of ${org.name} on Ledgerworks could act any more, so Ledgerworks support made you an owner (${reason}). You can now manage its members and settings.\n\n— Ledgerworks`,
    });
    return { name: member.name, orgName: org.name };
  });
}
