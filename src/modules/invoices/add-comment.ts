// Commenting on an invoice, in any state.
import { z } from 'zod';
import { recordAudit, type UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { NotFoundError, ValidationError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { authorize } from './policy.ts';
import { currentApprover } from './workflow-guards.ts';
import * as q from './workflow-queries.ts';
import { INVOICE_AUDIT } from './audit.ts';

export const commentSchema = z.object({
  body: z.string().trim().min(1, 'Write a comment first.').max(4000, 'Keep a comment under 4,000 characters.'),
});

/** A comment on an invoice in any state: the conversation around a decision stays with it. */
export async function addComment(
  db: Db,
  actor: UserActor,
  org: OrgContext,
  invoiceId: string,
  body: string,
): Promise<{ id: string }> {
  authorize(org, 'invoice.comment');
  const parsed = commentSchema.safeParse({ body });
  if (!parsed.success) throw new ValidationError({ body: parsed.error.issues[0]?.message ?? 'Write a comment first.' });
  return withOrg(db, org.id, actor.userId, async (tx) => {
    authorize(await currentApprover(tx, org, actor), 'invoice.comment');
    const inv = await q.invoice(tx, org.id, invoiceId);
    if (!inv) throw new NotFoundError('We could not find that invoice.');
    const id = await q.insertComment(tx, { orgId: org.id, invoiceId, authorId: actor.userId, body: parsed.data.body });
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: INVOICE_AUDIT.commented,
      target: { type: 'invoice', id: invoiceId },
      changes: { number: inv.number, comment_id: id },
    });
    return { id };
  });
}
