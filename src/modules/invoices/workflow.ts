// The invoice workflow: submit, withdraw, approve, reject, comment. Each operation locks the
// invoice row first (SELECT … FOR UPDATE), so two people acting at once are served one after
// the other and the second sees what the first did; the state change itself is a conditional
// update (transitionInvoice) with the database's workflow trigger as the wall behind it.
import { z } from 'zod';
import { recordAudit, type Actor } from '../../core/audit/audit.ts';
import type { Db, Tx } from '../../core/db/pool.ts';
import type { FaceValue } from '../../core/money.ts';
import type { Invoice, InvoiceStatus } from '../../core/db/schema.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { isUuid } from '../../core/schemas.ts';
import { enqueue } from '../../core/tasks/tasks.ts';
import { approvalBlocker, approvalsRequiredFor } from './approval-policy.ts';
import { notifyInvoiceApprovers, notifyInvoiceDecision } from './notices.ts';
import { authorize } from './policy.ts';
import { transitionInvoice } from './transitions.ts';
import * as q from './workflow-queries.ts';

export type InvoiceActor = Actor & { userId: string };

export const rejectSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(1, 'Say why the invoice is rejected: the submitter reads this.')
    .max(1000, 'Keep the reason under 1,000 characters.'),
});

export const commentSchema = z.object({
  body: z.string().trim().min(1, 'Write a comment first.').max(4000, 'Keep a comment under 4,000 characters.'),
});

const PAST_TENSE: Record<InvoiceStatus, string> = {
  draft: 'withdrew',
  submitted: 'submitted',
  approved: 'approved',
  rejected: 'rejected',
  scheduled: 'put in a payout',
  paid: 'marked as paid',
};

/** "Ann approved this invoice a moment ago, so it can no longer be rejected." */
async function stateConflict(tx: Tx, inv: Invoice, cannot: string): Promise<ConflictError> {
  const move = await q.lastMove(tx, inv.org_id, inv.id);
  if (!move || move.to_status !== inv.status)
    return new ConflictError(`This invoice is ${inv.status}, so it ${cannot}.`);
  const who = move.actor_name ?? 'Someone';
  const when = Date.now() - move.created_at.getTime() < 5 * 60_000 ? ' a moment ago' : '';
  return new ConflictError(`${who} ${PAST_TENSE[move.to_status]} this invoice${when}, so it ${cannot}.`);
}

async function lockedInvoice(tx: Tx, orgId: string, invoiceId: string): Promise<Invoice> {
  const inv = await q.invoice(tx, orgId, invoiceId, { forUpdate: true });
  if (!inv) throw new NotFoundError('We could not find that invoice.');
  return inv;
}

/** The actor's role as of now: a request that started before a demotion must not act with the old role. */
async function currentApprover(tx: Tx, org: OrgContext, actor: InvoiceActor) {
  const me = await q.approver(tx, org.id, actor.userId);
  if (!me) throw new NotFoundError();
  return me;
}

async function faceValue(tx: Tx, inv: Invoice): Promise<FaceValue> {
  return { minor: inv.amount_minor, minorUnits: await q.minorUnitsOf(tx, inv.currency), currency: inv.currency };
}

/**
 * The database refuses what the checks above should already have refused; should a request
 * slip past them (a rule changed under it), the person still gets a clear answer, never a 500.
 */
async function mappingDbErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23514' && e.constraint === 'invoice_approvals_not_submitter')
      throw new ForbiddenError('You submitted this invoice, so someone else must approve it.');
    if (
      e.code === '23514' &&
      (e.constraint === 'invoice_approvals_submitted' || e.constraint === 'invoices_workflow')
    ) {
      throw new ConflictError(
        'Someone changed this invoice at the same moment. Reload the page to see its current state.',
      );
    }
    if (e.code === '23505') throw new ConflictError('You have already approved this invoice.');
    throw err;
  }
}

function movedOrConflict<T>(moved: T | null): T {
  if (!moved)
    throw new ConflictError(
      'Someone changed this invoice at the same moment. Reload the page to see its current state.',
    );
  return moved;
}

/** Sends a draft for approval; at or above the org's threshold it will need two approvals. */
export async function submitInvoice(
  db: Db,
  actor: InvoiceActor,
  org: OrgContext,
  invoiceId: string,
): Promise<{ invoice: Invoice; approvalsRequired: number }> {
  authorize(org, 'invoice.create');
  return mappingDbErrors(() =>
    withOrg(db, org.id, actor.userId, async (tx) => {
      authorize(await currentApprover(tx, org, actor), 'invoice.create');
      const inv = await lockedInvoice(tx, org.id, invoiceId);
      if (inv.status !== 'draft') throw await stateConflict(tx, inv, 'cannot be submitted again');
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
        action: 'invoice.submitted',
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

/** The submitter takes a submitted invoice back to draft; the approvals it collected no longer count. */
export async function withdrawInvoice(
  db: Db,
  actor: InvoiceActor,
  org: OrgContext,
  invoiceId: string,
): Promise<{ invoice: Invoice; approvalsRemoved: number }> {
  authorize(org, 'invoice.withdraw');
  return mappingDbErrors(() =>
    withOrg(db, org.id, actor.userId, async (tx) => {
      authorize(await currentApprover(tx, org, actor), 'invoice.withdraw');
      const inv = await lockedInvoice(tx, org.id, invoiceId);
      if (inv.status !== 'submitted') throw await stateConflict(tx, inv, 'can no longer be withdrawn');
      if (inv.submitted_by !== actor.userId) {
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
        action: 'invoice.withdrawn',
        target: { type: 'invoice', id: invoiceId },
        changes: { number: inv.number, approvals_removed: approvalsRemoved },
      });
      return { invoice: (await q.invoice(tx, org.id, invoiceId))!, approvalsRemoved };
    }),
  );
}

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
  actor: InvoiceActor,
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
        invoice: { status: inv.status, submittedBy: inv.submitted_by, amount: await faceValue(tx, inv), approvedBy },
      });
      if (blocker?.code === 'not_submitted') throw await stateConflict(tx, inv, 'cannot be approved');
      if (blocker)
        throw blocker.status === 403 ? new ForbiddenError(blocker.message) : new ConflictError(blocker.message);
      await q.insertApproval(tx, org.id, invoiceId, actor.userId);
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
        action: approved ? 'invoice.approved' : 'invoice.approval_recorded',
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

/** Rejects a submitted invoice, with the reason the submitter will read. Rejection is final. */
export async function rejectInvoice(
  db: Db,
  actor: InvoiceActor,
  org: OrgContext,
  invoiceId: string,
  reason: string,
): Promise<{ invoice: Invoice }> {
  authorize(org, 'invoice.approve');
  const parsed = rejectSchema.safeParse({ reason });
  if (!parsed.success) throw new ValidationError({ reason: parsed.error.issues[0]?.message ?? 'Give a reason.' });
  const why = parsed.data.reason;
  return mappingDbErrors(() =>
    withOrg(db, org.id, actor.userId, async (tx) => {
      authorize(await currentApprover(tx, org, actor), 'invoice.approve');
      const inv = await lockedInvoice(tx, org.id, invoiceId);
      if (inv.status !== 'submitted') throw await stateConflict(tx, inv, 'can no longer be rejected');
      if (inv.submitted_by === actor.userId)
        throw new ForbiddenError(
          'You submitted this invoice, so someone else must decide on it. You can withdraw it instead.',
        );
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
        action: 'invoice.rejected',
        target: { type: 'invoice', id: invoiceId },
        changes: { number: inv.number, reason: why },
      });
      return { invoice: (await q.invoice(tx, org.id, invoiceId))! };
    }),
  );
}

/** A comment on an invoice in any state: the conversation around a decision stays with it. */
export async function addComment(
  db: Db,
  actor: InvoiceActor,
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
      action: 'invoice.commented',
      target: { type: 'invoice', id: invoiceId },
      changes: { number: inv.number, comment_id: id },
    });
    return { id };
  });
}

export const BULK_APPROVE_MAX = 100;

/**
 * Approves several invoices, each in its own transaction: one refusal (self-approval, a limit,
 * a colleague who was faster) does not undo the others. One result per distinct id, in order.
 */
export async function bulkApprove(
  db: Db,
  actor: InvoiceActor,
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
