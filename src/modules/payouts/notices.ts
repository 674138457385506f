// What payouts tell people, and whom: composed here, delivered by the notifications module as
// each person chose. Each task runs in the org's transaction, reads the payout as it is now,
// and never notifies the person who caused the event. The task names keep their
// `notifications.` prefix: queued jobs and past runs carry them.
import { z } from 'zod';
import type { Tx } from '../../core/db/pool.ts';
import type { Links } from '../../core/mail/links.ts';
import { ROLES } from '../../core/roles.ts';
import { formatMoney } from '../../core/money.ts';
import { uuid } from '../../core/schemas.ts';
import {
  defineNoticeTask,
  deliverNotice,
  memberIdsWithRoles,
  noticeOrg,
  type NoticeOutcome,
  type NoticeSkipped,
} from '../notifications/service.ts';
import { can } from './policy.ts';
import * as q from './notice-queries.ts';

const PAYOUT_APPROVER_ROLES = ROLES.filter((role) => can({ role }, 'payout.approve'));

/** To everyone who may approve payouts, except its creator. */
async function payoutAwaitingApproval(
  tx: Tx,
  links: Links,
  orgId: string,
  e: { payoutId: string; actorId: string },
): Promise<NoticeOutcome | NoticeSkipped> {
  const p = await q.noticeFacts(tx, orgId, e.payoutId);
  if (!p || p.status !== 'pending') return { skipped: 'the payout no longer waits for approval' };
  const recipients = (await memberIdsWithRoles(tx, orgId, PAYOUT_APPROVER_ROLES)).filter(
    (id) => id !== p.created_by && id !== e.actorId,
  );
  const org = await noticeOrg(tx, orgId);
  return deliverNotice(
    tx,
    links,
    orgId,
    {
      kind: 'payout_awaiting_approval',
      event: `payout_awaiting_approval:${p.id}`,
      subject: `Payout ${p.reference} is waiting for your approval`,
      body: `Payout ${p.reference} (${formatMoney(p.total_minor ?? '0', p.currency, p.minor_units)}) in ${org.name} is waiting for approval by someone other than its creator.`,
      path: `/o/${org.slug}/payouts/${p.id}`,
    },
    recipients,
  );
}

/** To the payout's creator and the submitters of its invoices. */
async function payoutPaid(
  tx: Tx,
  links: Links,
  orgId: string,
  e: { payoutId: string; actorId: string },
): Promise<NoticeOutcome | NoticeSkipped> {
  const p = await q.noticeFacts(tx, orgId, e.payoutId);
  if (!p || p.status !== 'paid') return { skipped: 'the payout is not paid' };
  const recipients = [p.created_by, ...(await q.submitterIds(tx, orgId, p.id))].filter(
    (id): id is string => !!id && id !== e.actorId,
  );
  const org = await noticeOrg(tx, orgId);
  return deliverNotice(
    tx,
    links,
    orgId,
    {
      kind: 'payout_paid',
      event: `payout_paid:${p.id}`,
      subject: `Payout ${p.reference} was paid`,
      body: `Payout ${p.reference} (${formatMoney(p.total_minor ?? '0', p.currency, p.minor_units)}) in ${org.name} was paid${p.bank_reference ? ` (bank reference ${p.bank_reference})` : ''}. Its invoices are marked paid.`,
      path: `/o/${org.slug}/payouts/${p.id}`,
    },
    recipients,
  );
}

export const notifyPayoutApprovers = defineNoticeTask({
  name: 'notifications.payout_awaiting_approval',
  label: 'Tell approvers a payout waits for them',
  input: z.object({ payoutId: uuid(), actorId: uuid() }),
  notify: payoutAwaitingApproval,
});

export const notifyPayoutPaid = defineNoticeTask({
  name: 'notifications.payout_paid',
  label: 'Tell people a payout was paid',
  input: z.object({ payoutId: uuid(), actorId: uuid() }),
  notify: payoutPaid,
});

export const PAYOUT_NOTICE_TASKS = [notifyPayoutApprovers, notifyPayoutPaid];
