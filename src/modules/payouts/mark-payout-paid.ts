// Marking a payout paid once the bank confirms the transfers.
import { z } from 'zod';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { ConflictError } from '../../core/http/errors.ts';
import { currentOrg } from '../../core/http/policy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { markInvoicesPaid } from '../invoices/service.ts';
import { payoutOrThrow } from './load-payout.ts';
import { notifyPayoutPaid } from './notices.ts';
import { authorize } from './policy.ts';
import * as q from './queries.ts';
import { PAYOUT_AUDIT } from './audit.ts';

export const markPaidSchema = z.object({
  bank_reference: z
    .string()
    .trim()
    .min(1, 'Enter the reference the bank gave the transfer.')
    .max(100, 'The bank reference is at most 100 characters.'),
});

/** The bank confirmed the transfers: the payout and each of its invoices are paid. */
export async function markPayoutPaid(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
  input: z.infer<typeof markPaidSchema>,
): Promise<{ reference: string }> {
  authorize(org, 'payout.mark_paid');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    authorize(await currentOrg(tx, org, actor), 'payout.mark_paid');
    const p = await payoutOrThrow(tx, org.id, id, { forUpdate: true });
    if (p.status !== 'approved')
      throw new ConflictError(`Payout ${p.reference} is ${p.status}: only an approved payout can be marked paid.`);
    await q.transitionPayout(tx, {
      orgId: org.id,
      payoutId: id,
      from: 'approved',
      to: 'paid',
      actorId: actor.userId,
      note: `Bank reference ${input.bank_reference}`,
      set: { paid_at: new Date(), paid_by: actor.userId, bank_reference: input.bank_reference },
    });
    const invoices = await markInvoicesPaid(tx, org.id, id, actor.userId);
    await enqueue(
      tx,
      notifyPayoutPaid,
      { payoutId: id, actorId: actor.userId },
      { orgId: org.id, createdBy: actor.userId },
    );
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: PAYOUT_AUDIT.paid,
      target: { type: 'payout', id },
      changes: { reference: p.reference, bank_reference: input.bank_reference, invoice_count: invoices },
    });
    return { reference: p.reference };
  });
}
