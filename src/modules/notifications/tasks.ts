// Notification tasks: enqueued in the transaction of the workflow change, so an event that
// rolls back notifies nobody. Each reads the record as it is when it runs.
import { z } from 'zod';
import { defineSchedule, defineTask, type TaskContext } from '../../core/tasks/tasks.ts';
import { sendDailyDigests } from './digest.ts';
import { invoiceAwaitingApproval, invoiceDecided, payoutAwaitingApproval, payoutPaid } from './events.ts';

function orgOf(ctx: TaskContext): string {
  if (!ctx.orgId) throw new Error('a notification task runs in the org of its event');
  return ctx.orgId;
}

export const notifyInvoiceApprovers = defineTask({
  name: 'notifications.invoice_awaiting_approval',
  label: 'Tell approvers an invoice waits for them',
  input: z.object({ invoiceId: z.uuid(), event: z.string().min(1).max(200), actorId: z.uuid() }),
  maxAttempts: 5,
  run: async (input, ctx) => ctx.transaction((tx) => invoiceAwaitingApproval(tx, orgOf(ctx), input)),
});

export const notifyInvoiceDecision = defineTask({
  name: 'notifications.invoice_decided',
  label: 'Tell the submitter an invoice was decided',
  input: z.object({
    invoiceId: z.uuid(),
    historyId: z.string().regex(/^\d+$/),
    actorId: z.uuid(),
    outcome: z.enum(['approved', 'rejected']),
  }),
  maxAttempts: 5,
  run: async (input, ctx) => ctx.transaction((tx) => invoiceDecided(tx, orgOf(ctx), input)),
});

export const notifyPayoutApprovers = defineTask({
  name: 'notifications.payout_awaiting_approval',
  label: 'Tell approvers a payout waits for them',
  input: z.object({ payoutId: z.uuid(), actorId: z.uuid() }),
  maxAttempts: 5,
  run: async (input, ctx) => ctx.transaction((tx) => payoutAwaitingApproval(tx, orgOf(ctx), input)),
});

export const notifyPayoutPaid = defineTask({
  name: 'notifications.payout_paid',
  label: 'Tell people a payout was paid',
  input: z.object({ payoutId: z.uuid(), actorId: z.uuid() }),
  maxAttempts: 5,
  run: async (input, ctx) => ctx.transaction((tx) => payoutPaid(tx, orgOf(ctx), input)),
});

export const sendDailyDigest = defineTask({
  name: 'notifications.send_daily_digest',
  label: 'Send daily notification digests',
  input: z.object({}),
  maxAttempts: 3,
  run: async (_input, ctx) => sendDailyDigests(ctx.db, new Date()),
});

export const dailyDigestSchedule = defineSchedule({
  identifier: 'notifications.daily_digest',
  cron: '0 7 * * *',
  task: sendDailyDigest,
  input: {},
  backfillHours: 12,
});

export const NOTIFICATION_TASKS = [
  notifyInvoiceApprovers,
  notifyInvoiceDecision,
  notifyPayoutApprovers,
  notifyPayoutPaid,
  sendDailyDigest,
];
