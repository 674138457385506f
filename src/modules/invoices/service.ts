// What other modules (the dashboard, payouts) may use of the invoices module.
export { financeSummary, type FinanceSummary } from './dashboard.ts';
export { CATEGORIES, type Category } from './categories.ts';
export type { InvoiceStatus } from './statuses.ts';
export { can as canInvoices } from './policy.ts';
export { addComment } from './add-comment.ts';
export { approveInvoice, type ApproveResult } from './approve-invoice.ts';
export { bulkApprove, BULK_APPROVE_MAX } from './bulk-approve.ts';
export { rejectInvoice } from './reject-invoice.ts';
export { submitInvoice } from './submit-invoice.ts';
export { withdrawInvoice } from './withdraw-invoice.ts';
export {
  approvalBlocker,
  approvalsRequiredFor,
  canApprove,
  eligibleToApproveSql,
  type EligibleApprover,
} from './approval-policy.ts';
export { isWithinLimit, type ApprovalBlocker, type ApprovalFacts } from './record-rules.ts';
/** A member's role and approval limit, read in the caller's withOrg transaction: the input of eligibleToApproveSql. */
export { approver as approverOf } from './workflow-queries.ts';
export { transitionInvoice } from './transitions.ts';
export { INVOICE_NOTICE_TASKS, notifyInvoiceApprovers, notifyInvoiceDecision } from './notices.ts';
export { markInvoicesPaid, scheduleInvoices, unscheduleInvoices } from './payout-links.ts';
export { countForExport, invoicesForExport, parseQueueQuery, queueQuerySchema, type QueueQuery } from './queue.ts';
export { INVOICE_STATUS } from './status.ts';
export { invoicePaths } from './paths.ts';
