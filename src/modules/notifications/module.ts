import { defineModule } from '../../core/module.ts';
import { dailyDigestSchedule, NOTIFICATION_TASKS } from './tasks.ts';

/** Delivery of notices: immediate mails, the daily digest, preferences (its page is the account's). */
export const notificationsModule = defineModule({
  name: 'notifications',
  tasks: NOTIFICATION_TASKS,
  schedules: [dailyDigestSchedule],
});
