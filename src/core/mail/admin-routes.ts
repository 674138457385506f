// Resending a failed message from its back-office page: one service call (staff role re-read,
// audited), back to the message's page with what happened.
import { z } from 'zod';
import { recordPath } from '../admin/records.ts';
import { requireActor } from '../http/auth.ts';
import { recordId } from '../http/params.ts';
import { route } from '../http/routes.ts';
import { flash } from '../views/flash.ts';
import { resendMail } from './resend.ts';

export const mailRoutes = [
  route({
    method: 'POST',
    url: '/staff/mail/:messageId/resend',
    access: 'staff:operator',
    params: z.object({ messageId: recordId }),
    example: { body: {} },
    handler: async (request, reply, { db }) => {
      const { messageId } = request.params;
      const { to } = await resendMail(db, requireActor(request), messageId);
      flash(reply, 'success', `The message is queued again for ${to}.`);
      return reply.redirect(recordPath('mail', { id: messageId }), 303);
    },
  }),
];
