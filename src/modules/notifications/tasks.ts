// The notifications module's own task: the daily digest. Notices about invoices and payouts are
// tasks of those modules (defineNoticeTask), which compose the texts and pick the recipients.
import { z } from 'zod';
import { defineSchedule, defineTask } from '../../core/tasks/tasks.ts';
import { sendDailyDigests } from './digest.ts';

export const sendDailyDigest = defineTask({
  name: 'notifications.send_daily_digest',
  label: 'Send daily notification digests',
  input: z.object({}),
  maxAttempts: 3,
  run: async (_input, ctx) => sendDailyDigests(ctx.db, ctx.links, new Date()),
});

export const dailyDigestSchedule = defineSchedule({
  identifier: 'notifications.daily_digest',
  cron: '0 7 * * *',
  task: sendDailyDigest,
  input: {},
  backfillHours: 12,
});

export const NOTIFICATION_TASKS = [sendDailyDigest];
