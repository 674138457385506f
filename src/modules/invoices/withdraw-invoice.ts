// Withdrawing a submitted invoice back to draft.
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import type { Invoice } from '../../core/db/schema.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { ForbiddenError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { authorize } from './policy.ts';
import { isSubmitted, isSubmitter } from './record-rules.ts';
import { transitionInvoice } from './transitions.ts';
import { currentApprover, lockedInvoice, mappingDbErrors, movedOrConflict, stateConflict } from './workflow-guards.ts';
import * as q from './workflow-queries.ts';
import { INVOICE_AUDIT } from './audit.ts';

/** The submitter takes a submitted invoice back to draft; the approvals it collected no longer count. */
export async function withdrawInvoice(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  invoiceId: string,
): Promise<{ invoice: Invoice; approvalsRemoved: number }> {
  authorize(org, 'invoice.withdraw');
  return mappingDbErrors(() =>
    withOrg(db, org.id, actor.userId, async (tx) => {
      authorize(await currentApprover(tx, org, actor), 'invoice.withdraw');
      const inv = await lockedInvoice(tx, org.id, invoiceId);
      if (!isSubmitted(inv)) throw await stateConflict(tx, inv, 'can no longer be withdrawn');
      if (!isSubmitter(actor, { submittedBy: inv.submitted_by })) {
        const name = await q.userName(tx, inv.submitted_by);
        throw new ForbiddenError(
          name
            ? `Only ${name}, who submitted this invoice, can withdraw it.`
            : 'Only the person who submitted this invoice can withdraw it.',
        );
      }
      const approvalsRemoved = await q.deleteApprovals(tx, org.id, invoiceId);
      movedOrConflict(
        await transitionInvoice(tx, {
          orgId: org.id,
          invoiceId,
          from: 'submitted',
          to: 'draft',
          actorId: actor.userId,
          note: approvalsRemoved
            ? `Withdrawn; ${approvalsRemoved} approval${approvalsRemoved === 1 ? '' : 's'} removed.`
            : null,
          set: { submitted_by: null, submitted_at: null, approvals_required: 1 },
        }),
      );
      await recordAudit(tx, {
        orgId: org.id,
        actor,
        action: INVOICE_AUDIT.withdrawn,
        target: { type: 'invoice', id: invoiceId },
        changes: { number: inv.number, approvals_removed: approvalsRemoved },
      });
      return { invoice: (await q.invoice(tx, org.id, invoiceId))!, approvalsRemoved };
    }),
  );
}
