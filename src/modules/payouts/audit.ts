import { auditActions } from '../../core/audit/actions.ts';

/** What happens to a payout. */
export const PAYOUT_AUDIT = auditActions('payout', [
  'created',
  'approved',
  'exported',
  'payment_file_copied',
  'paid',
  'cancelled',
]);

/** The organization’s own account, the payer of its payouts. */
export const PAYING_ACCOUNT_AUDIT = auditActions('org', ['bank_account_changed']);
