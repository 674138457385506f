import { defineModule } from '../../core/module.ts';
import { PREFERENCES_AUDIT } from './audit.ts';
import { dailyDigestSchedule, NOTIFICATION_TASKS } from './tasks.ts';

/** Delivery of notices: immediate mails, the daily digest, preferences (its page is the account's). */
export const notificationsModule = defineModule({
  name: 'notifications',
  auditActions: [PREFERENCES_AUDIT],
  tasks: NOTIFICATION_TASKS,
  schedules: [dailyDigestSchedule],
});
