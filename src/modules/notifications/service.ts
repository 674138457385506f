// What other modules (invoices, payouts, accounts, the server) may use of the notifications module:
// delivery by each person's choice, the preferences, the digest, and a way to queue notices.
// Notifications knows no invoice or payout: the modules that own the events compose their notices.
export { dailyDigestSchedule, NOTIFICATION_TASKS, sendDailyDigest } from './tasks.ts';
export { defineNoticeTask, type NoticeSkipped } from './notice-task.ts';
export { deliverNotice, type Notice, type NoticeOutcome } from './notify.ts';
export { memberIdsWithRoles, noticeOrg } from './queries.ts';
export {
  notificationPreferences,
  preferencesSchema,
  setNotificationPreferences,
  type Preferences,
} from './preferences.ts';
export { DELIVERY_LABELS, KIND_LABELS, NOTIFICATION_DELIVERIES, NOTIFICATION_KINDS } from './kinds.ts';
export { sendDailyDigests } from './digest.ts';
