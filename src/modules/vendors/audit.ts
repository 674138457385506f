import { auditActions } from '../../core/audit/actions.ts';

/** What happens to a vendor. */
export const VENDOR_AUDIT = auditActions('vendor', [
  'created',
  'updated',
  'payment_details_changed',
  'archived',
  'unarchived',
  'payment_details_revealed',
]);
