// Cancelling a payout that was not paid.
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { ConflictError } from '../../core/http/errors.ts';
import { currentOrg } from '../../core/http/policy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { unscheduleInvoices } from '../invoices/service.ts';
import { payoutOrThrow } from './load-payout.ts';
import { authorize } from './policy.ts';
import * as q from './queries.ts';
import { PAYOUT_AUDIT } from './audit.ts';

/** Cancels a payout that was not paid; its invoices return to approved for another payout. */
export async function cancelPayout(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  id: string,
): Promise<{ reference: string; invoices: number }> {
  authorize(org, 'payout.cancel');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    authorize(await currentOrg(tx, org, actor), 'payout.cancel');
    const p = await payoutOrThrow(tx, org.id, id, { forUpdate: true });
    if (p.status !== 'pending' && p.status !== 'approved')
      throw new ConflictError(`Payout ${p.reference} is ${p.status}: it can no longer be cancelled.`);
    await q.transitionPayout(tx, {
      orgId: org.id,
      payoutId: id,
      from: p.status,
      to: 'cancelled',
      actorId: actor.userId,
      set: { cancelled_at: new Date(), cancelled_by: actor.userId },
    });
    const invoices = await unscheduleInvoices(tx, org.id, id, actor.userId);
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: PAYOUT_AUDIT.cancelled,
      target: { type: 'payout', id },
      changes: { reference: p.reference, from: p.status, invoice_count: invoices },
    });
    return { reference: p.reference, invoices };
  });
}
