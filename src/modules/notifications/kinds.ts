import { NOTIFICATION_KINDS, type NotificationDelivery, type NotificationKind } from '../../core/db/schema.ts';

export { NOTIFICATION_KINDS, type NotificationKind };

/** What each kind means to the person who receives it (the preferences page). */
export const KIND_LABELS: Record<NotificationKind, string> = {
  invoice_awaiting_approval: 'An invoice is waiting for your approval',
  invoice_approved: 'An invoice you submitted was approved',
  invoice_rejected: 'An invoice you submitted was rejected',
  payout_awaiting_approval: 'A payout is waiting for your approval',
  payout_paid: 'A payout you created, or that pays your invoices, was paid',
};

export const DELIVERY_LABELS: Record<NotificationDelivery, string> = {
  immediate: 'Email at once',
  digest: 'Daily digest',
  off: 'Off',
};

/** Without a saved choice, a person hears about everything at once. */
export const DEFAULT_DELIVERY: NotificationDelivery = 'immediate';
