import { z } from 'zod';
import { queueMail } from '../../core/mail/mail.ts';
import { uuid } from '../../core/schemas.ts';
import { defineTask } from '../../core/tasks/tasks.ts';
import { userById } from './queries.ts';

export const sendWelcomeEmail = defineTask({
  name: 'accounts.send_welcome_email',
  label: 'Welcome email',
  input: z.object({ userId: uuid(), orgSlug: z.string() }),
  maxAttempts: 5,
  run: async ({ userId, orgSlug }, ctx) =>
    ctx.transaction(async (tx) => {
      const user = await userById(tx, userId);
      if (!user) return { skipped: 'user no longer exists' };
      const link = ctx.links.appLink(`/o/${orgSlug}`);
      const queued = await queueMail(tx, ctx.orgId, {
        dedupeKey: `welcome:${userId}`,
        to: user.email,
        subject: 'Welcome to Ledgerworks',
        text: [
          `Hello ${user.name},`,
          '',
          'Your Ledgerworks account is ready. Your organization lives here:',
          link,
          '',
          'If you did not create this account, reply to this message and we will close it.',
          '',
          '— Ledgerworks',
        ].join('\n'),
      });
      return { queued };
    }),
});
