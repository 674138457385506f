// Payouts: approved invoices are batched per currency into a payout, which someone other than
// its creator approves (two people above the org's threshold), finance exports as a payment
// file for the bank, and marks paid once the bank confirms. Cancelling returns the invoices.
// This file is the module's public face: routes and other modules import from here.
export { can as canPayouts, rightsFor as payoutRightsFor } from './policy.ts';
export { notifyPayoutApprovers, notifyPayoutPaid, PAYOUT_NOTICE_TASKS } from './notices.ts';
export { payoutsOverview } from './list-payouts.ts';
export { createPayout, newPayoutSchema, payoutCandidates, type NewPayoutInput } from './create-payout.ts';
export { payoutDetail } from './payout-detail.ts';
export { approvePayout } from './approve-payout.ts';
export {
  NoPayingAccountError,
  paymentFile,
  paymentFilePreview,
  type PaymentFile,
  type PaymentFilePreview,
} from './payment-file.ts';
export { markPaidSchema, markPayoutPaid } from './mark-payout-paid.ts';
export { cancelPayout } from './cancel-payout.ts';
export { bankAccountSchema, setPayingAccount } from './set-paying-account.ts';
export { payoutPaths } from './paths.ts';
