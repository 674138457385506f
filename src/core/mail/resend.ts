// An operator sends a message that failed for good once more, from its back-office page. The
// delivery task claims the row again (queued → sending), so a message sent meanwhile is refused
// here rather than mailed twice.
import { requireStaffRole } from '../admin/staff-check.ts';
import { auditActions } from '../audit/actions.ts';
import { recordAudit, type UserActor } from '../audit/audit.ts';
import type { Db } from '../db/pool.ts';
import { withUser } from '../db/tenancy.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { enqueue } from '../tasks/tasks.ts';
import { deliverMail } from './mail.ts';

export const MAIL_AUDIT = auditActions('mail', ['resent']);

const NOW_WORDS = { queued: 'queued again', sending: 'being sent', sent: 'sent', failed: 'failed' } as const;

/** Queues a failed message again with a new delivery run; returns the address it goes to. */
export async function resendMail(db: Db, actor: UserActor, messageId: string): Promise<{ to: string; runId: string }> {
  return withUser(db, actor.userId, async (tx) => {
    await requireStaffRole(tx, actor, 'staff:operator');
    const m = await tx
      .selectFrom('mail_outbox')
      .select(['id', 'to_address', 'status', 'error'])
      .where('id', '=', messageId)
      .forUpdate()
      .executeTakeFirst();
    if (!m) throw new NotFoundError('There is no such message.');
    if (m.status !== 'failed')
      throw new ConflictError(`This message is ${NOW_WORDS[m.status]} now, not failed: nothing was resent.`);
    await tx.updateTable('mail_outbox').set({ status: 'queued', error: null }).where('id', '=', messageId).execute();
    // The delivery run belongs to no org: the outbox has none, and the first run's org may be gone.
    const runId = await enqueue(tx, deliverMail, { messageId }, { orgId: null, createdBy: actor.userId });
    await recordAudit(tx, {
      orgId: null,
      actor,
      action: MAIL_AUDIT.resent,
      target: { type: 'mail', id: messageId },
      changes: { run_id: runId, previous_error: m.error },
    });
    return { to: m.to_address, runId };
  });
}
