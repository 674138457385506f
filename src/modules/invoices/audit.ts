import { auditActions } from '../../core/audit/actions.ts';

/** What happens to an invoice, from draft to decision, and who downloaded its PDF. */
export const INVOICE_AUDIT = auditActions('invoice', [
  'created',
  'updated',
  'submitted',
  'withdrawn',
  'approved',
  'approval_recorded',
  'rejected',
  'commented',
  'attachment_downloaded',
]);
