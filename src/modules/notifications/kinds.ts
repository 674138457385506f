import type { NotificationPreferences } from '../../core/db/generated.ts';
import { valuesOf } from '../../core/db/values.ts';

export type NotificationKind = NotificationPreferences['kind'];
export const NOTIFICATION_KINDS = valuesOf<NotificationKind>()([
  'invoice_awaiting_approval',
  'invoice_approved',
  'invoice_rejected',
  'payout_awaiting_approval',
  'payout_paid',
]);
export type NotificationDelivery = NotificationPreferences['delivery'];
export const NOTIFICATION_DELIVERIES = valuesOf<NotificationDelivery>()(['immediate', 'digest', 'off']);

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
