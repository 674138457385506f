// Who may change a draft, and what someone is told when it is no longer one.
import type { UserActor } from '../../core/audit/audit.ts';
import type { Tx } from '../../core/db/pool.ts';
import type { Invoice } from '../../core/db/schema.ts';
import { ConflictError, ForbiddenError } from '../../core/http/errors.ts';
import { currentOrg } from '../../core/http/policy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { authorize } from './policy.ts';
import { draftEditRefusal } from './record-rules.ts';

export function notDraft(inv: { number: string; status: string }): ConflictError {
  return new ConflictError(
    `Invoice ${inv.number} is ${inv.status}: only drafts can be edited. To change it, it has to be withdrawn to a draft first.`,
  );
}

/** Whether this person may change this draft (record-rules.ts says who and why), with their role as of now. */
export async function authorizeEdit(
  tx: Tx,
  actor: UserActor,
  org: OrgContext,
  inv: Pick<Invoice, 'number' | 'status' | 'created_by'>,
): Promise<void> {
  if (inv.status !== 'draft') throw notDraft(inv);
  const now = await currentOrg(tx, org, actor);
  authorize(now, 'invoice.edit');
  const refusal = draftEditRefusal(
    { userId: actor.userId, org: now },
    { status: inv.status, createdBy: inv.created_by },
  );
  if (refusal) throw new ForbiddenError(refusal);
}
