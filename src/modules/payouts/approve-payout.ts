// Approving a payout: someone other than its creator, two people above the org's threshold.
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import type { DomainError } from '../../core/http/errors.ts';
import { ConflictError, ForbiddenError } from '../../core/http/errors.ts';
import { currentOrg } from '../../core/http/policy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { payoutOrThrow } from './load-payout.ts';
import { authorize, authorizeRecord } from './policy.ts';
import * as q from './queries.ts';
import { PAYOUT_AUDIT } from './audit.ts';

/**
 * The database has the last word (migrations 0003, 0014): its refusal of an approval, or of the
 * move to approved, is told in words (403 or 409), never a 500.
 */
const DB_REFUSALS: Record<string, () => DomainError> = {
  payout_approvals_not_creator: () => new ForbiddenError('You created this payout, so someone else has to approve it.'),
  payout_approvals_approver_role: () => new ForbiddenError('Only owners, admins and approvers approve payouts.'),
  payout_approvals_pending: () =>
    new ConflictError('This payout changed a moment ago and is no longer pending. Reload the page to see its state.'),
  payouts_approvals_required: () =>
    new ConflictError(
      'This payout does not yet have the approvals it needs from people other than its creator. Nothing changed.',
    ),
  payouts_approval_facts_frozen: () =>
    new ConflictError('This payout changed a moment ago. Reload the page to see its state.'),
};

async function mappingDbRefusals<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    const refusal = e.code === '23514' && e.constraint ? DB_REFUSALS[e.constraint] : undefined;
    if (refusal) throw refusal();
    throw err;
  }
}

/**
 * Records the actor's approval; the payout is approved when it has as many approvals as it
 * requires. The row lock makes concurrent approvals queue: the one that completes the count
 * decides, the others find it approved.
 */
export async function approvePayout(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
): Promise<{ reference: string; approved: boolean; missing: number }> {
  authorize(org, 'payout.approve');
  return mappingDbRefusals(() =>
    withOrg(db, org.id, actor.userId, async (tx) => {
      const now = await currentOrg(tx, org, actor);
      authorize(now, 'payout.approve');
      const p = await payoutOrThrow(tx, org.id, id, { forUpdate: true });
      if (p.status !== 'pending')
        throw new ConflictError(`Payout ${p.reference} is already ${p.status}; it cannot be approved now.`);
      authorizeRecord({ org: now, userId: actor.userId }, 'payout.approve', p);
      if (!(await q.insertApproval(tx, org.id, id, actor.userId)))
        throw new ConflictError(`You have already approved payout ${p.reference}. It needs another person’s approval.`);
      const count = (await q.approvals(tx, org.id, id)).length;
      const approved = count >= p.approvals_required;
      if (approved) {
        await q.transitionPayout(tx, {
          orgId: org.id,
          payoutId: id,
          from: 'pending',
          to: 'approved',
          actorId: actor.userId,
          note: `${count} approval${count === 1 ? '' : 's'}`,
          set: { approved_at: new Date() },
        });
      }
      await recordAudit(tx, {
        orgId: org.id,
        actor,
        action: PAYOUT_AUDIT.approved,
        target: { type: 'payout', id },
        changes: {
          reference: p.reference,
          approver_id: actor.userId,
          approvals: count,
          approvals_required: p.approvals_required,
          status: approved ? 'approved' : 'pending',
        },
      });
      return { reference: p.reference, approved, missing: p.approvals_required - count };
    }),
  );
}
