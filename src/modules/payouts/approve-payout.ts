// Approving a payout: someone other than its creator, two people above the org's threshold.
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db, Tx } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { ConflictError } from '../../core/http/errors.ts';
import { currentOrg } from '../../core/http/policy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { payoutOrThrow } from './load-payout.ts';
import { authorize, authorizeRecord } from './policy.ts';
import * as q from './queries.ts';
import { PAYOUT_AUDIT } from './audit.ts';

/** The approval trigger has the last word (creator, state); its refusal is a conflict, not a 500. */
async function insertApproval(tx: Tx, orgId: string, id: string, userId: string) {
  try {
    return await q.insertApproval(tx, orgId, id, userId);
  } catch (err) {
    if ((err as { code?: string }).code === '23514')
      throw new ConflictError(
        'The database refused this approval: a payout is approved by someone other than its creator, while it is pending.',
      );
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
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const now = await currentOrg(tx, org, actor);
    authorize(now, 'payout.approve');
    const p = await payoutOrThrow(tx, org.id, id, { forUpdate: true });
    if (p.status !== 'pending')
      throw new ConflictError(`Payout ${p.reference} is already ${p.status}; it cannot be approved now.`);
    authorizeRecord({ org: now, userId: actor.userId }, 'payout.approve', p);
    if (!(await insertApproval(tx, org.id, id, actor.userId)))
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
  });
}
