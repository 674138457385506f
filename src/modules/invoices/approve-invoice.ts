// Approving a submitted invoice: one approval, or the one that completes the count.
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import type { Invoice } from '../../core/db/schema.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { ConflictError, ForbiddenError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { approvalBlocker } from './approval-policy.ts';
import { notifyInvoiceApprovers, notifyInvoiceDecision } from './notices.ts';
import { authorize } from './policy.ts';
import { transitionInvoice } from './transitions.ts';
import {
  currentApprover,
  faceValue,
  lockedInvoice,
  mappingDbErrors,
  movedOrConflict,
  stateConflict,
} from './workflow-guards.ts';
import * as q from './workflow-queries.ts';
import { INVOICE_AUDIT } from './audit.ts';

export type ApproveResult = {
  outcome: 'approved' | 'needs_another_approval';
  invoice: Invoice;
  approvals: number;
  required: number;
};

/**
 * Records the actor's approval; the approval that reaches approvals_required moves the invoice
 * to approved. Under the row lock the count cannot be raced: two approvers at once are served
 * in turn, and the invoice is approved exactly once.
 */
export async function approveInvoice(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  invoiceId: string,
): Promise<ApproveResult> {
  authorize(org, 'invoice.approve');
  return mappingDbErrors(() =>
    withOrg(db, org.id, actor.userId, async (tx) => {
      const me = await currentApprover(tx, org, actor);
      authorize(me, 'invoice.approve');
      const inv = await lockedInvoice(tx, org.id, invoiceId);
      const approvedBy = await q.approverIds(tx, org.id, invoiceId);
      const blocker = approvalBlocker({
        approver: { userId: actor.userId, role: me.role, limit: me.limit },
        invoice: {
          status: inv.status,
          submittedBy: inv.submitted_by,
          createdBy: inv.created_by,
          amount: await faceValue(tx, inv),
          approvedBy,
        },
      });
      if (blocker?.code === 'not_submitted') throw await stateConflict(tx, inv, 'cannot be approved');
      if (blocker)
        throw blocker.status === 403 ? new ForbiddenError(blocker.message) : new ConflictError(blocker.message);
      await q.insertApproval(tx, { orgId: org.id, invoiceId, approver: me });
      const approvals = approvedBy.length + 1;
      const required = inv.approvals_required;
      const approved = approvals >= required;
      if (approved) {
        const moved = movedOrConflict(
          await transitionInvoice(tx, {
            orgId: org.id,
            invoiceId,
            from: 'submitted',
            to: 'approved',
            actorId: actor.userId,
            note: required > 1 ? `${approvals} of ${required} approvals.` : null,
            set: { decided_at: new Date() },
          }),
        );
        await enqueue(
          tx,
          notifyInvoiceDecision,
          { invoiceId, historyId: moved.historyId, actorId: actor.userId, outcome: 'approved' },
          { orgId: org.id, createdBy: actor.userId },
        );
      } else {
        // The first of two approvals: the others who may approve hear that it still waits for one of them.
        await enqueue(
          tx,
          notifyInvoiceApprovers,
          {
            invoiceId,
            event: `approval:${actor.userId}:${inv.submitted_at?.toISOString() ?? ''}`,
            actorId: actor.userId,
          },
          { orgId: org.id, createdBy: actor.userId },
        );
      }
      await recordAudit(tx, {
        orgId: org.id,
        actor,
        action: approved ? INVOICE_AUDIT.approved : INVOICE_AUDIT.approval_recorded,
        target: { type: 'invoice', id: invoiceId },
        changes: { number: inv.number, approvals, required },
      });
      return {
        outcome: approved ? 'approved' : 'needs_another_approval',
        invoice: (await q.invoice(tx, org.id, invoiceId))!,
        approvals,
        required,
      };
    }),
  );
}
