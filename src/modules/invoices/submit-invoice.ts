// Submitting a draft invoice for approval.
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import type { Invoice } from '../../core/db/schema.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { approvalsRequiredFor } from './approval-policy.ts';
import { notifyInvoiceApprovers } from './notices.ts';
import { authorize } from './policy.ts';
import { isDraft } from './record-rules.ts';
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

/** Sends a draft for approval; at or above the org's threshold it will need two approvals. */
export async function submitInvoice(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  invoiceId: string,
): Promise<{ invoice: Invoice; approvalsRequired: number }> {
  authorize(org, 'invoice.create');
  return mappingDbErrors(() =>
    withOrg(db, org.id, actor.userId, async (tx) => {
      authorize(await currentApprover(tx, org, actor), 'invoice.create');
      const inv = await lockedInvoice(tx, org.id, invoiceId);
      if (!isDraft(inv)) throw await stateConflict(tx, inv, 'cannot be submitted again');
      const required = approvalsRequiredFor(await faceValue(tx, inv), await q.approvalThreshold(tx, org.id));
      const moved = movedOrConflict(
        await transitionInvoice(tx, {
          orgId: org.id,
          invoiceId,
          from: 'draft',
          to: 'submitted',
          actorId: actor.userId,
          note: required === 2 ? 'At or above the approval threshold: needs two approvals.' : null,
          set: { submitted_by: actor.userId, submitted_at: new Date(), approvals_required: required },
        }),
      );
      await enqueue(
        tx,
        notifyInvoiceApprovers,
        { invoiceId, event: moved.historyId, actorId: actor.userId },
        { orgId: org.id, createdBy: actor.userId },
      );
      await recordAudit(tx, {
        orgId: org.id,
        actor,
        action: INVOICE_AUDIT.submitted,
        target: { type: 'invoice', id: invoiceId },
        changes: {
          number: inv.number,
          amount_minor: inv.amount_minor,
          currency: inv.currency,
          approvals_required: required,
        },
      });
      return { invoice: (await q.invoice(tx, org.id, invoiceId))!, approvalsRequired: required };
    }),
  );
}
