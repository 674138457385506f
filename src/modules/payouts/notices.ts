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
  type Notice,
  type NoticeOutcome,
  type NoticeSkipped,
} from '../notifications/service.ts';
import { can } from './policy.ts';
import * as q from './notice-queries.ts';
import type { PayoutStatus } from './statuses.ts';
import { payoutPaths } from './paths.ts';

const PAYOUT_APPROVER_ROLES = ROLES.filter((role) => can({ role }, 'payout.approve'));

type PayoutFacts = NonNullable<Awaited<ReturnType<typeof q.noticeFacts>>>;
type PayoutEvent = { payoutId: string; actorId: string };

/**
 * One notice about a payout, linking to its page: sent while the payout is still in `status`
 * (it is read as it is now), to `recipients` but never to the person who caused the event.
 */
function payoutNotice(spec: {
  status: PayoutStatus;
  skipped: string;
  kind: Notice['kind'];
  recipients: (tx: Tx, orgId: string, p: PayoutFacts) => Promise<(string | null)[]>;
  compose: (p: PayoutFacts, text: { payout: string; org: string }) => Pick<Notice, 'subject' | 'body'>;
}) {
  return async (tx: Tx, links: Links, orgId: string, e: PayoutEvent): Promise<NoticeOutcome | NoticeSkipped> => {
    const p = await q.noticeFacts(tx, orgId, e.payoutId);
    if (!p || p.status !== spec.status) return { skipped: spec.skipped };
    const recipients = (await spec.recipients(tx, orgId, p)).filter((id): id is string => !!id && id !== e.actorId);
    const org = await noticeOrg(tx, orgId);
    const payout = `Payout ${p.reference} (${formatMoney(p.total_minor ?? '0', p.currency, p.minor_units)})`;
    return deliverNotice(
      tx,
      links,
      orgId,
      {
        kind: spec.kind,
        event: `${spec.kind}:${p.id}`,
        ...spec.compose(p, { payout, org: org.name }),
        path: payoutPaths.detail(org.slug, p.id),
      },
      recipients,
    );
  };
}

/** To everyone who may approve payouts, except its creator. */
const payoutAwaitingApproval = payoutNotice({
  status: 'pending',
  skipped: 'the payout no longer waits for approval',
  kind: 'payout_awaiting_approval',
  recipients: async (tx, orgId, p) =>
    (await memberIdsWithRoles(tx, orgId, PAYOUT_APPROVER_ROLES)).filter((id) => id !== p.created_by),
  compose: (p, t) => ({
    subject: `Payout ${p.reference} is waiting for your approval`,
    body: `${t.payout} in ${t.org} is waiting for approval by someone other than its creator.`,
  }),
});

/** To the payout's creator and the submitters of its invoices. */
const payoutPaid = payoutNotice({
  status: 'paid',
  skipped: 'the payout is not paid',
  kind: 'payout_paid',
  recipients: async (tx, orgId, p) => [p.created_by, ...(await q.submitterIds(tx, orgId, p.id))],
  compose: (p, t) => ({
    subject: `Payout ${p.reference} was paid`,
    body: `${t.payout} in ${t.org} was paid${p.bank_reference ? ` (bank reference ${p.bank_reference})` : ''}. Its invoices are marked paid.`,
  }),
});

const payoutEvent = z.object({ payoutId: uuid(), actorId: uuid() });

export const notifyPayoutApprovers = defineNoticeTask({
  name: 'notifications.payout_awaiting_approval',
  label: 'Tell approvers a payout waits for them',
  input: payoutEvent,
  notify: payoutAwaitingApproval,
});

export const notifyPayoutPaid = defineNoticeTask({
  name: 'notifications.payout_paid',
  label: 'Tell people a payout was paid',
  input: payoutEvent,
  notify: payoutPaid,
});

export const PAYOUT_NOTICE_TASKS = [notifyPayoutApprovers, notifyPayoutPaid];
