// What the invoice workflow's operations (submit, withdraw, approve, reject) share. Each locks the
// invoice row first (SELECT … FOR UPDATE), so two people acting at once are served one after
// the other and the second sees what the first did; the state change itself is a conditional
// update (transitionInvoice) with the database's workflow trigger as the wall behind it.
import type { UserActor } from '../../core/audit/audit.ts';
import type { Tx } from '../../core/db/pool.ts';
import type { FaceValue } from '../../core/money.ts';
import type { Invoice } from '../../core/db/schema.ts';
import type { InvoiceStatus } from './statuses.ts';
import type { DomainError } from '../../core/http/errors.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import * as q from './workflow-queries.ts';

const PAST_TENSE: Record<InvoiceStatus, string> = {
  draft: 'withdrew',
  submitted: 'submitted',
  approved: 'approved',
  rejected: 'rejected',
  scheduled: 'put in a payout',
  paid: 'marked as paid',
};

/** "Ann approved this invoice a moment ago, so it can no longer be rejected." */
export async function stateConflict(tx: Tx, inv: Invoice, cannot: string): Promise<ConflictError> {
  const move = await q.lastMove(tx, inv.org_id, inv.id);
  if (!move || move.to_status !== inv.status)
    return new ConflictError(`This invoice is ${inv.status}, so it ${cannot}.`);
  const who = move.actor_name ?? 'Someone';
  const when = Date.now() - move.created_at.getTime() < 5 * 60_000 ? ' a moment ago' : '';
  return new ConflictError(`${who} ${PAST_TENSE[move.to_status]} this invoice${when}, so it ${cannot}.`);
}

export async function lockedInvoice(tx: Tx, orgId: string, invoiceId: string): Promise<Invoice> {
  const inv = await q.invoice(tx, orgId, invoiceId, { forUpdate: true });
  if (!inv) throw new NotFoundError('We could not find that invoice.');
  return inv;
}

/** The actor's role as of now: a request that started before a demotion must not act with the old role. */
export async function currentApprover(tx: Tx, org: OrgContext, actor: UserActor) {
  const me = await q.approver(tx, org.id, actor.userId);
  if (!me) throw new NotFoundError();
  return me;
}

export async function faceValue(tx: Tx, inv: Invoice): Promise<FaceValue> {
  return { minor: inv.amount_minor, minorUnits: await q.minorUnitsOf(tx, inv.currency), currency: inv.currency };
}

/** The database's refusals (migrations 0003, 0014) by constraint: what the person is told. */
const DB_REFUSALS: Record<string, () => DomainError> = {
  invoice_approvals_not_submitter: () =>
    new ForbiddenError('You submitted this invoice, so someone else must approve it.'),
  invoice_approvals_not_creator: () => new ForbiddenError('You created this invoice, so someone else must approve it.'),
  invoice_approvals_approver_role: () => new ForbiddenError('Only owners, admins and approvers approve invoices.'),
  invoice_approvals_within_limit: () => new ForbiddenError('This invoice is above your approval limit.'),
  invoice_approvals_limit_recorded: () =>
    new ConflictError('Your approval limit changed a moment ago. Reload the page and approve again if you still may.'),
  invoices_approvals_required: () =>
    new ConflictError(
      'This invoice does not yet have the approvals it needs from people other than the one who created and submitted it. Nothing changed.',
    ),
  invoice_approvals_submitted: changedMeanwhile,
  invoices_workflow: changedMeanwhile,
  invoices_approval_facts_frozen: changedMeanwhile,
};

function changedMeanwhile(): DomainError {
  return new ConflictError(
    'Someone changed this invoice at the same moment. Reload the page to see its current state.',
  );
}

/**
 * The database refuses what the checks above should already have refused; should a request
 * slip past them (a rule changed under it), the person still gets a clear answer, never a 500.
 */
export async function mappingDbErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    const refusal = e.code === '23514' && e.constraint ? DB_REFUSALS[e.constraint] : undefined;
    if (refusal) throw refusal();
    if (e.code === '23505') throw new ConflictError('You have already approved this invoice.');
    throw err;
  }
}

export function movedOrConflict<T>(moved: T | null): T {
  if (!moved)
    throw new ConflictError(
      'Someone changed this invoice at the same moment. Reload the page to see its current state.',
    );
  return moved;
}
