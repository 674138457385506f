// Approving several invoices from the queue, each on its own.
import type { UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { DomainError, NotFoundError, ValidationError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { isUuid } from '../../core/schemas.ts';
import { approveInvoice } from './approve-invoice.ts';
import { authorize } from './policy.ts';
import * as q from './workflow-queries.ts';

export const BULK_APPROVE_MAX = 100;

/**
 * Approves several invoices, each in its own transaction: one refusal (self-approval, a limit,
 * a colleague who was faster) does not undo the others. One result per distinct id, in order.
 */
export async function bulkApprove(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  invoiceIds: string[],
): Promise<{ id: string; number: string; ok: boolean; message: string }[]> {
  authorize(org, 'invoice.approve');
  const ids = [...new Set(invoiceIds.map((id) => id.toLowerCase()))];
  if (ids.length > BULK_APPROVE_MAX)
    throw new ValidationError({ ids: `Approve at most ${BULK_APPROVE_MAX} invoices at once.` });
  const known = new Map(
    (await withOrg(db, org.id, actor.userId, (tx) => q.invoiceNumbers(tx, org.id, ids.filter(isUuid)))).map((r) => [
      r.id,
      r.number,
    ]),
  );
  // The queue offers only the org's own invoices: an id it does not know is another org's, or forged.
  if (ids.some((id) => !known.has(id))) throw new NotFoundError('We could not find one of the selected invoices.');
  const results: { id: string; number: string; ok: boolean; message: string }[] = [];
  for (const id of ids) {
    const number = known.get(id) ?? '';
    try {
      const r = await approveInvoice(db, actor, org, id);
      results.push({
        id,
        number,
        ok: true,
        message:
          r.outcome === 'approved'
            ? 'Approved.'
            : `Your approval is recorded: ${r.approvals} of ${r.required}. It needs another approver.`,
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      results.push({ id, number, ok: false, message: err.message });
    }
  }
  return results;
}
