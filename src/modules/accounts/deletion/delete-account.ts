import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit, type UserActor } from '../../../core/audit/audit.ts';
import { auditAccount } from '../audit.ts';
import { MEMBER_AUDIT, ORG_AUDIT } from '../../orgs/service.ts';
import type { Db } from '../../../core/db/pool.ts';
import { withOrg, withUser } from '../../../core/db/tenancy.ts';
import { ConflictError, ValidationError } from '../../../core/http/errors.ts';
import { queueMail } from '../../../core/mail/mail.ts';
import { orgsOf } from '../../orgs/service.ts';
import * as aq from '../account-locks.ts';
import * as tokens from '../tokens.ts';
import * as dq from './queries.ts';
import { userWithPassword } from '../settings/settings.ts';
import { accountDeactivatedMail } from '../emails.ts';

// Deleting one's own account: leave every org (or take it along when alone), then deactivate.

export const deleteAccountSchema = z.object({
  current_password: z.string().min(1, 'Enter your current password.').max(200),
  confirm: z.literal('yes', { message: 'Tick the box to confirm that you want to delete your account.' }),
});

/** Orgs the user alone owns while others are members: they must hand ownership over first. */
export async function orgsBlockingDeletion(db: Db, userId: string): Promise<string[]> {
  const orgs = await withUser(db, userId, (tx) => orgsOf(tx, userId));
  const blocking: string[] = [];
  for (const org of orgs.filter((o) => o.role === 'owner')) {
    const head = await withOrg(db, org.id, userId, (tx) => dq.orgHeadcount(tx, org.id, userId));
    if (head && head.others > 0 && head.otherOwners === 0) blocking.push(head.name);
  }
  return blocking;
}

function soleOwnerError(names: string[]): ValidationError {
  return new ValidationError(
    {},
    `You are the only owner of ${names.join(', ')}, which ${names.length > 1 ? 'have' : 'has'} other members. Make another member an owner first, then delete your account.`,
  );
}

/**
 * Deactivates the account: leaves every org (an org where the user is the only member goes
 * with them), ends every session and frees the email address. One transaction per org,
 * because row-level security scopes membership changes to the current org. Records the
 * user created stay in their orgs' history.
 */
export async function deactivateAccount(
  db: Db,
  actor: UserActor,
  input: z.infer<typeof deleteAccountSchema>,
): Promise<void> {
  const user = await userWithPassword(db, actor.userId, input.current_password);
  const blocking = await orgsBlockingDeletion(db, user.id);
  if (blocking.length) throw soleOwnerError(blocking);

  for (const org of await withUser(db, user.id, (tx) => orgsOf(tx, user.id))) {
    await leaveOrg(db, actor, org.id);
  }
  await withUser(db, user.id, async (tx) => {
    const current = await aq.lockUser(tx, user.id);
    if (!current?.is_active) throw new ConflictError('This account is no longer active.');
    // The notice goes to the address the person knows, before it is freed.
    await queueMail(tx, null, {
      dedupeKey: `account-deactivated:${user.id}`,
      to: current.email,
      ...accountDeactivatedMail(current.name),
    });
    await tx
      .updateTable('users')
      .set({
        is_active: false,
        deactivated_at: sql<Date>`now()`,
        email: `deactivated+${user.id}@deactivated.invalid`,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', user.id)
      .execute();
    await tokens.retireTokens(tx, user.id, ['password_reset', 'email_change', 'email_change_report']);
    const sessionsEnded = await aq.deleteSessionsOf(tx, user.id);
    await auditAccount(tx, actor, user.id, 'deactivated', { email: current.email, devices_signed_out: sessionsEnded });
  });
}

/** One org's part of a deactivation, in that org's transaction. */
async function leaveOrg(db: Db, actor: UserActor, orgId: string): Promise<void> {
  const userId = actor.userId;
  try {
    await withOrg(db, orgId, userId, async (tx) => {
      const head = await dq.orgHeadcount(tx, orgId, userId);
      if (!head) return;
      if (head.others === 0) {
        await dq.deleteOrganization(tx, orgId);
        await recordAudit(tx, {
          orgId: null,
          actor,
          action: ORG_AUDIT.deleted,
          target: { type: 'organization', id: orgId },
          changes: { name: head.name, reason: 'last member deleted their account' },
        });
        return;
      }
      // Checked again under the org's lock: an owner may have left since the check above.
      if (head.role === 'owner' && head.otherOwners === 0) throw soleOwnerError([head.name]);
      await dq.deleteMembership(tx, orgId, userId);
      await recordAudit(tx, {
        orgId,
        actor,
        action: MEMBER_AUDIT.removed,
        target: { type: 'user', id: userId },
        changes: { role: head.role, reason: 'account deleted' },
      });
    });
  } catch (err) {
    // The database's last-owner rule (a deferred trigger) is the final word on a race.
    if ((err as { constraint?: string }).constraint === 'memberships_last_owner')
      throw soleOwnerError(['one of your organizations']);
    throw err;
  }
}
