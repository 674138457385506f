// The record rules of invoices, as small named predicates: whether a person whose role allows an
// action may do it to this invoice now. policy.ts hands them to the policy (so rightsFor answers
// the detail page), and the workflow services test the same predicates before they change a row.
import type { Role } from '../../core/roles.ts';
import type { InvoiceStatus } from './statuses.ts';
import { compareFaceValue, formatMoney, type FaceValue } from '../../core/money.ts';
import { ROLE_GROUPS } from '../../core/http/policy.ts';

/** A null limit means the person may approve any amount. */
export function isWithinLimit(amount: FaceValue, limit: FaceValue | null): boolean {
  return limit === null || compareFaceValue(amount, limit) <= 0;
}

/** What decides whether one person may approve one invoice. */
export type ApprovalFacts = {
  approver: { userId: string; role: Role; limit: FaceValue | null };
  invoice: {
    status: InvoiceStatus;
    submittedBy: string | null;
    createdBy: string | null;
    amount: FaceValue;
    approvedBy: readonly string[];
  };
};

export type ApprovalBlocker = {
  code: 'role' | 'not_submitted' | 'own_submission' | 'own_creation' | 'already_approved' | 'over_limit';
  status: 403 | 409;
  message: string;
};

/** The invoice as one person's rights read it: its state, and their approval limit. */
export type InvoiceRecord = ApprovalFacts['invoice'] & { approverLimit: FaceValue | null };

type Who = { userId: string };

export const isDraft = (r: Pick<InvoiceRecord, 'status'>) => r.status === 'draft';
export const isSubmitted = (r: Pick<InvoiceRecord, 'status'>) => r.status === 'submitted';
export const isSubmitter = (who: Who, r: Pick<InvoiceRecord, 'submittedBy'>) => r.submittedBy === who.userId;
export const isCreator = (who: Who, r: Pick<InvoiceRecord, 'createdBy'>) => r.createdBy === who.userId;
const isManager = (role: Role) => (ROLE_GROUPS.managers as readonly Role[]).includes(role);

/**
 * A draft is its creator's until it is submitted: only they, or an owner or admin, change it.
 * Otherwise an approver could raise the amount of a colleague's draft, or swap its vendor, and
 * approve it once the colleague pressed submit: the approval rules (here and in the database)
 * know the creator and the submitter, not who edited in between. Owners and admins may correct
 * anyone's draft (each change is audited with its old and new value); see the README's Approvals.
 */
export function draftEditRefusal(who: Who & { org: { role: Role } }, r: Pick<InvoiceRecord, 'status' | 'createdBy'>) {
  if (!isDraft(r)) return `This invoice is ${r.status}, so it can no longer be changed.`;
  if (isCreator(who, r) || isManager(who.org.role)) return null;
  return 'Only the person who created this draft, or an owner or admin, can edit it.';
}

/** Nobody decides on an invoice they submitted themselves. */
export const OWN_DECISION =
  'You submitted this invoice, so someone else must decide on it. You can withdraw it instead.';

/**
 * Why this person, whose role may approve, may not approve this invoice now (or null): the
 * record part of approvalBlocker, which adds the role.
 */
export function approvalRefusal(f: ApprovalFacts): ApprovalBlocker | null {
  if (!isSubmitted(f.invoice))
    return {
      code: 'not_submitted',
      status: 409,
      message: `This invoice is ${f.invoice.status}, so it cannot be approved.`,
    };
  if (isSubmitter(f.approver, f.invoice))
    return {
      code: 'own_submission',
      status: 403,
      message: 'You submitted this invoice, so someone else must approve it.',
    };
  // Segregation of duties: who typed the invoice in never approves it, whoever pressed submit.
  if (isCreator(f.approver, f.invoice))
    return {
      code: 'own_creation',
      status: 403,
      message: 'You created this invoice, so someone else must approve it.',
    };
  if (f.invoice.approvedBy.includes(f.approver.userId))
    return {
      code: 'already_approved',
      status: 409,
      message: 'You have already approved this invoice. It needs another approver.',
    };
  if (!isWithinLimit(f.invoice.amount, f.approver.limit)) {
    const l = f.approver.limit!;
    return {
      code: 'over_limit',
      status: 403,
      message: `This invoice is above your approval limit of ${formatMoney(l.minor, l.currency, l.minorUnits)}.`,
    };
  }
  return null;
}

/** The record rules by policy action: the reason this person may not, or null. */
export const INVOICE_RECORD_RULES = {
  'invoice.create': (_who: Who, r: InvoiceRecord) =>
    isDraft(r) ? null : `This invoice is ${r.status}, so it can no longer be changed.`,
  'invoice.edit': draftEditRefusal,
  'invoice.withdraw': (who: Who, r: InvoiceRecord) =>
    !isSubmitted(r)
      ? `This invoice is ${r.status}, so it cannot be withdrawn.`
      : isSubmitter(who, r)
        ? null
        : 'Only the person who submitted this invoice can withdraw it.',
  'invoice.approve': (who: Who & { org: { role: Role } }, r: InvoiceRecord) =>
    approvalRefusal({ approver: { userId: who.userId, role: who.org.role, limit: r.approverLimit }, invoice: r })
      ?.message ?? null,
  'invoice.reject': (who: Who, r: InvoiceRecord) =>
    !isSubmitted(r)
      ? `This invoice is ${r.status}, so it cannot be rejected.`
      : isSubmitter(who, r)
        ? OWN_DECISION
        : null,
};
