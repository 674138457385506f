// An operator sends a message that failed for good once more, from its back-office page. The
// delivery task claims the row again (queued → sending), so a message sent meanwhile is refused
// here rather than mailed twice.
import { requireStaffRole } from '../admin/staff-check.ts';
import { auditActions } from '../audit/actions.ts';
import { recordAudit, type UserActor } from '../audit/audit.ts';
import type { Db, Tx } from '../db/pool.ts';
import { withOrg, withStaff, withUser } from '../db/tenancy.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { enqueue } from '../tasks/tasks.ts';
import { deliverMail } from './mail.ts';

export const MAIL_AUDIT = auditActions('mail', ['resent']);

const NOW_WORDS = { queued: 'queued again', sending: 'being sent', sent: 'sent', failed: 'failed' } as const;

/**
 * The message's org, read through the staff read policy (after the role, so a former operator gets
 * 403, not 404): the resend then runs in that org's context, where row-level security lets it write.
 */
async function messageOrg(db: Db, actor: UserActor, messageId: string): Promise<string | null> {
  const m = await withStaff(db, actor.userId, async (tx) => {
    await requireStaffRole(tx, actor, 'staff:operator');
    return tx.selectFrom('mail_outbox').select('org_id').where('id', '=', messageId).executeTakeFirst();
  });
  if (!m) throw new NotFoundError('There is no such message.');
  return m.org_id;
}

/** Queues a failed message again with a new delivery run; returns the address it goes to. */
export async function resendMail(db: Db, actor: UserActor, messageId: string): Promise<{ to: string; runId: string }> {
  const orgId = await messageOrg(db, actor, messageId);
  const inContext = <T>(fn: (tx: Tx) => Promise<T>) =>
    orgId ? withOrg(db, orgId, actor.userId, fn) : withUser(db, actor.userId, fn);
  return inContext(async (tx) => {
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
    // The delivery run and the audit entry belong to the message's org (none for an account mail).
    const runId = await enqueue(tx, deliverMail, { messageId }, { orgId, createdBy: actor.userId });
    await recordAudit(tx, {
      orgId,
      actor,
      action: MAIL_AUDIT.resent,
      target: { type: 'mail', id: messageId },
      changes: { run_id: runId, previous_error: m.error },
    });
    return { to: m.to_address, runId };
  });
}
