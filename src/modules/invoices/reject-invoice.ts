// Rejecting a submitted invoice, with the reason the submitter reads.
import { z } from 'zod';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import type { Invoice } from '../../core/db/schema.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { ForbiddenError, ValidationError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { notifyInvoiceDecision } from './notices.ts';
import { authorize } from './policy.ts';
import { isSubmitted, isSubmitter, OWN_DECISION } from './record-rules.ts';
import { transitionInvoice } from './transitions.ts';
import { currentApprover, lockedInvoice, mappingDbErrors, movedOrConflict, stateConflict } from './workflow-guards.ts';
import * as q from './workflow-queries.ts';
import { INVOICE_AUDIT } from './audit.ts';

export const rejectSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(1, 'Say why the invoice is rejected: the submitter reads this.')
    .max(1000, 'Keep the reason under 1,000 characters.'),
});

/** Rejects a submitted invoice, with the reason the submitter will read. Rejection is final. */
export async function rejectInvoice(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  invoiceId: string,
  reason: string,
): Promise<{ invoice: Invoice }> {
  authorize(org, 'invoice.reject');
  const parsed = rejectSchema.safeParse({ reason });
  if (!parsed.success) throw new ValidationError({ reason: parsed.error.issues[0]?.message ?? 'Give a reason.' });
  const why = parsed.data.reason;
  return mappingDbErrors(() =>
    withOrg(db, org.id, actor.userId, async (tx) => {
      authorize(await currentApprover(tx, org, actor), 'invoice.reject');
      const inv = await lockedInvoice(tx, org.id, invoiceId);
      if (!isSubmitted(inv)) throw await stateConflict(tx, inv, 'can no longer be rejected');
      if (isSubmitter(actor, { submittedBy: inv.submitted_by })) throw new ForbiddenError(OWN_DECISION);
      const moved = movedOrConflict(
        await transitionInvoice(tx, {
          orgId: org.id,
          invoiceId,
          from: 'submitted',
          to: 'rejected',
          actorId: actor.userId,
          note: why,
          set: { rejection_reason: why, decided_at: new Date() },
        }),
      );
      await enqueue(
        tx,
        notifyInvoiceDecision,
        { invoiceId, historyId: moved.historyId, actorId: actor.userId, outcome: 'rejected' },
        { orgId: org.id, createdBy: actor.userId },
      );
      await recordAudit(tx, {
        orgId: org.id,
        actor,
        action: INVOICE_AUDIT.rejected,
        target: { type: 'invoice', id: invoiceId },
        changes: { number: inv.number, reason: why },
      });
      return { invoice: (await q.invoice(tx, org.id, invoiceId))! };
    }),
  );
}
