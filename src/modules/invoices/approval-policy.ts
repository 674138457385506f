// Approving an invoice: how many approvals it needs, and who may approve it, as a check and as
// SQL. The record rules themselves are in record-rules.ts, the role rules in policy.ts.
// The database holds the same line (migration 0014): invoice_approvals_check refuses an approval by
// the creator, the submitter, a role that does not approve or above the limit, and
// invoices_enforce_approvals refuses `approved` without approvals_required such approvals.
import { sql, type RawBuilder } from 'kysely';
import type { Role } from '../../core/roles.ts';
import { compareFaceValue, type FaceValue } from '../../core/money.ts';
import { can } from './policy.ts';
import { approvalRefusal, type ApprovalBlocker, type ApprovalFacts } from './record-rules.ts';

/** At or above the org's threshold an invoice needs a second pair of eyes. */
export function approvalsRequiredFor(amount: FaceValue, threshold: FaceValue): 1 | 2 {
  return compareFaceValue(amount, threshold) >= 0 ? 2 : 1;
}

/** Why this person may not approve this invoice now, or null when they may: the role, then the record rules. */
export function approvalBlocker(f: ApprovalFacts): ApprovalBlocker | null {
  if (!can({ role: f.approver.role }, 'invoice.approve'))
    return { code: 'role', status: 403, message: 'Only owners, admins and approvers approve invoices.' };
  return approvalRefusal(f);
}

export function canApprove(f: ApprovalFacts): boolean {
  return approvalBlocker(f) === null;
}

/**
 * The approver as the SQL filter needs them: their limit in minor units of the org's default
 * currency (limitCurrency), which an approval row records as the limit it was checked against.
 */
export type EligibleApprover = {
  userId: string;
  role: Role;
  limitMinor: string | null;
  limitMinorUnits: number;
  limitCurrency: string;
};

/**
 * The same rules as approvalBlocker, as a SQL condition on an invoices row (`alias`), for
 * lists such as "waiting for me": submitted, neither created nor submitted by the approver, not
 * yet approved by them, and within their limit (face value, exact numeric math).
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
    and ${col('created_by')} is distinct from ${approver.userId}::uuid
    and not exists (select 1 from invoice_approvals ia where ia.org_id = ${col('org_id')} and ia.invoice_id = ${col('id')} and ia.approver_id = ${approver.userId}::uuid)
    and ${withinLimit})`;
}
