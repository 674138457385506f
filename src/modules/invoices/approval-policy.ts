// The record rules of approving an invoice, as small named predicates. The role rules live in
// policy.ts; these say whether a person who has the role may approve this particular invoice.
// The database holds the same line for the two rules it can see (invoice_approvals_check).
import { sql, type RawBuilder } from 'kysely';
import type { InvoiceStatus } from './statuses.ts';
import type { Role } from '../../core/roles.ts';
import { compareFaceValue, formatMoney, type FaceValue } from '../../core/money.ts';
import { can } from './policy.ts';

/** At or above the org's threshold an invoice needs a second pair of eyes. */
export function approvalsRequiredFor(amount: FaceValue, threshold: FaceValue): 1 | 2 {
  return compareFaceValue(amount, threshold) >= 0 ? 2 : 1;
}

/** A null limit means the person may approve any amount. */
export function isWithinLimit(amount: FaceValue, limit: FaceValue | null): boolean {
  return limit === null || compareFaceValue(amount, limit) <= 0;
}

/** What decides whether one person may approve one invoice. */
export type ApprovalFacts = {
  approver: { userId: string; role: Role; limit: FaceValue | null };
  invoice: { status: InvoiceStatus; submittedBy: string | null; amount: FaceValue; approvedBy: readonly string[] };
};

export type ApprovalBlocker = {
  code: 'role' | 'not_submitted' | 'own_submission' | 'already_approved' | 'over_limit';
  status: 403 | 409;
  message: string;
};

export const isSubmitted = (f: ApprovalFacts) => f.invoice.status === 'submitted';
export const isOwnSubmission = (f: ApprovalFacts) => f.invoice.submittedBy === f.approver.userId;
export const hasApproved = (f: ApprovalFacts) => f.invoice.approvedBy.includes(f.approver.userId);
export const isWithinApproverLimit = (f: ApprovalFacts) => isWithinLimit(f.invoice.amount, f.approver.limit);

/** Why this person may not approve this invoice now, or null when they may. */
export function approvalBlocker(f: ApprovalFacts): ApprovalBlocker | null {
  if (!can({ role: f.approver.role }, 'invoice.approve'))
    return { code: 'role', status: 403, message: 'Only owners, admins and approvers approve invoices.' };
  if (!isSubmitted(f))
    return {
      code: 'not_submitted',
      status: 409,
      message: `This invoice is ${f.invoice.status}, so it cannot be approved.`,
    };
  if (isOwnSubmission(f))
    return {
      code: 'own_submission',
      status: 403,
      message: 'You submitted this invoice, so someone else must approve it.',
    };
  if (hasApproved(f))
    return {
      code: 'already_approved',
      status: 409,
      message: 'You have already approved this invoice. It needs another approver.',
    };
  if (!isWithinApproverLimit(f)) {
    const l = f.approver.limit!;
    return {
      code: 'over_limit',
      status: 403,
      message: `This invoice is above your approval limit of ${formatMoney(l.minor, l.currency, l.minorUnits)}.`,
    };
  }
  return null;
}

export function canApprove(f: ApprovalFacts): boolean {
  return approvalBlocker(f) === null;
}

/** The approver as the SQL filter needs them: their limit in minor units of the org's default currency. */
export type EligibleApprover = { userId: string; role: Role; limitMinor: string | null; limitMinorUnits: number };

/**
 * The same rules as approvalBlocker, as a SQL condition on an invoices row (`alias`), for
 * lists such as "waiting for me": submitted, not submitted by the approver, not yet approved
 * by them, and within their limit (face value, exact numeric math).
 */
export function eligibleToApproveSql(alias: string, approver: EligibleApprover): RawBuilder<boolean> {
  if (!can({ role: approver.role }, 'invoice.approve')) return sql<boolean>`false`;
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const withinLimit =
    approver.limitMinor === null
      ? sql`true`
      : sql`${col('amount_minor')}::numeric * (10::numeric ^ ${approver.limitMinorUnits}::int)
            <= ${approver.limitMinor}::numeric * (10::numeric ^ (select c.minor_units from currencies c where c.code = ${col('currency')}))`;
  return sql<boolean>`(${col('status')} = 'submitted'
    and ${col('submitted_by')} is distinct from ${approver.userId}::uuid
    and not exists (select 1 from invoice_approvals ia where ia.org_id = ${col('org_id')} and ia.invoice_id = ${col('id')} and ia.approver_id = ${approver.userId}::uuid)
    and ${withinLimit})`;
}
