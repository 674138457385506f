// What other modules (invoices, payouts, accounts, the server) may use of the notifications module.
export {
  dailyDigestSchedule,
  NOTIFICATION_TASKS,
  notifyInvoiceApprovers,
  notifyInvoiceDecision,
  notifyPayoutApprovers,
  notifyPayoutPaid,
  sendDailyDigest,
} from './tasks.ts';
export {
  notificationPreferences,
  preferencesSchema,
  setNotificationPreferences,
  type Preferences,
} from './preferences.ts';
export { DELIVERY_LABELS, KIND_LABELS, NOTIFICATION_KINDS } from './kinds.ts';
export { sendDailyDigests } from './digest.ts';
