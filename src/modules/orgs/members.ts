// Membership changes: a member's role, removing a member, leaving. Each one locks the
// organization row first, so the last-owner rule holds under concurrent clicks (the
// database's memberships_last_owner trigger is the wall behind it).
import { randomUUID } from 'node:crypto';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Tx } from '../../core/db/pool.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import type { Role } from '../../core/roles.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { queueMail } from '../../core/mail/mail.ts';
import { parseAmount } from '../../core/money.ts';
import { authorize, authorizeRole } from './policy.ts';
import * as q from './queries.ts';
import { MEMBER_AUDIT } from './audit.ts';

async function memberOrThrow(tx: Tx, orgId: string, userId: string) {
  const m = await q.membership(tx, orgId, userId);
  if (!m) throw new NotFoundError('That person is not a member of this organization.');
  return m;
}

/**
 * The actor's role as of now, under the org lock: a request that started before its actor
 * was demoted must not act with the old role.
 */
async function lockedActorRole(tx: Tx, org: OrgContext, actor: UserActor): Promise<OrgContext> {
  await q.lockOrg(tx, org.id);
  const me = await q.membership(tx, org.id, actor.userId);
  if (!me) throw new NotFoundError();
  return { ...org, role: me.role };
}

async function refuseLastOwner(tx: Tx, orgId: string, role: Role, message: string): Promise<void> {
  if (role === 'owner' && (await q.ownerCount(tx, orgId)) <= 1) throw new ConflictError(message);
}

/** Tells a member what was done to their membership; each change is its own message (a fresh key). */
async function mailMember(
  tx: Tx,
  org: OrgContext,
  member: { name: string; email: string },
  mail: { event: string; subject: string; body: string },
): Promise<void> {
  await queueMail(tx, org.id, {
    dedupeKey: `${mail.event}:${randomUUID()}`,
    to: member.email,
    subject: mail.subject,
    text: `Hello ${member.name},\n\n${mail.body}\n\n— Ledgerworks`,
  });
}

/** Changes a member's role. Setting the role a member already has changes nothing (a repeated click). */
export async function changeRole(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  userId: string,
  role: Role,
): Promise<{ changed: boolean; name: string }> {
  authorize(org, 'member.change_role');
  authorizeRole(org, role);
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const now = await lockedActorRole(tx, org, actor);
    authorize(now, 'member.change_role');
    authorizeRole(now, role);
    const member = await memberOrThrow(tx, org.id, userId);
    authorizeRole(now, member.role);
    if (member.role === role) return { changed: false, name: member.name };
    await refuseLastOwner(
      tx,
      org.id,
      member.role,
      `${member.name} is the last owner. Make someone else an owner first.`,
    );
    if (!(await q.setRole(tx, org.id, userId, member.role, role)))
      throw new ConflictError(
        'Someone changed this member at the same moment. Reload the page to see the current role.',
      );
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: MEMBER_AUDIT.role_changed,
      target: { type: 'user', id: userId },
      changes: { email: member.email, from: member.role, to: role },
    });
    await mailMember(tx, org, member, {
      event: 'member.role_changed',
      subject: `Your role in ${org.name} is now ${role}`,
      body: `Your role in ${org.name} on Ledgerworks changed from ${member.role} to ${role}.`,
    });
    return { changed: true, name: member.name };
  });
}

/** Removes another member; they lose access on their very next request. */
export async function removeMember(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  userId: string,
): Promise<{ name: string }> {
  authorize(org, 'member.remove');
  if (userId === actor.userId) throw new ConflictError('To remove yourself, use “Leave organization”.');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const now = await lockedActorRole(tx, org, actor);
    authorize(now, 'member.remove');
    const member = await memberOrThrow(tx, org.id, userId);
    authorizeRole(now, member.role);
    await refuseLastOwner(tx, org.id, member.role, `${member.name} is the last owner and cannot be removed.`);
    await q.deleteMembership(tx, org.id, userId);
    await q.forgetOrgInSessions(tx, org.id, userId);
    // Their open invitations go with them: a removed admin must not walk back in through one.
    const revoked = await q.revokeInvitationsBy(tx, org.id, userId, actor.userId);
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: MEMBER_AUDIT.removed,
      target: { type: 'user', id: userId },
      changes: { email: member.email, role: member.role, invitations_revoked: revoked },
    });
    await mailMember(tx, org, member, {
      event: 'member.removed',
      subject: `You were removed from ${org.name}`,
      body: `You are no longer a member of ${org.name} on Ledgerworks. Your account and your other organizations are not affected.`,
    });
    return { name: member.name };
  });
}

/** The actor leaves the organization (not as its last owner). */
export async function leaveOrg(db: Db, actor: UserActor, org: OrgContext): Promise<void> {
  authorize(org, 'member.leave');
  await withOrg(db, org.id, actor.userId, async (tx) => {
    await lockedActorRole(tx, org, actor);
    const me = await memberOrThrow(tx, org.id, actor.userId);
    await refuseLastOwner(
      tx,
      org.id,
      me.role,
      'You are the last owner of this organization. Make someone else an owner before you leave.',
    );
    await q.deleteMembership(tx, org.id, actor.userId);
    await q.forgetOrgInSessions(tx, org.id, actor.userId);
    await q.revokeInvitationsBy(tx, org.id, actor.userId, actor.userId);
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: MEMBER_AUDIT.left,
      target: { type: 'user', id: actor.userId },
      changes: { email: me.email, role: me.role },
    });
  });
}

/**
 * Sets how much a member may approve alone, typed in the org's default currency ("5000.00");
 * empty means no limit. Only roles that approve have a limit that matters, but it is kept
 * when a role changes so a promotion back restores it.
 */
export async function setApprovalLimit(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  userId: string,
  input: string,
): Promise<{ name: string; limit: string | null; currency: string }> {
  authorize(org, 'member.set_approval_limit');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const now = await lockedActorRole(tx, org, actor);
    authorize(now, 'member.set_approval_limit');
    const member = await memberOrThrow(tx, org.id, userId);
    authorizeRole(now, member.role);
    const currency = await q.defaultCurrency(tx, org.id);
    const trimmed = input.trim();
    const limit = trimmed === '' ? null : parseAmount(trimmed, currency.minor_units);
    if (limit === null && trimmed !== '') {
      throw new ValidationError({
        limit: `Enter an amount in ${currency.code} like 5000${currency.minor_units ? '.00' : ''}, or leave it empty for no limit.`,
      });
    }
    const before = await q.approvalLimit(tx, org.id, userId);
    const after = limit === null ? null : limit.toString();
    if (before === after) return { name: member.name, limit: after, currency: currency.code };
    await q.setApprovalLimit(tx, org.id, userId, after);
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: MEMBER_AUDIT.approval_limit_changed,
      target: { type: 'user', id: userId },
      changes: { email: member.email, currency: currency.code, from: before, to: after },
    });
    return { name: member.name, limit: after, currency: currency.code };
  });
}
