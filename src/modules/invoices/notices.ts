// What the invoice workflow tells people, and whom: composed here, delivered by the
// notifications module as each person chose. Each task runs in the org's transaction, reads the
// invoice as it is now, and never notifies the person who caused the event. The task names keep
// their `notifications.` prefix: queued jobs and past runs carry them.
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
import { canApprove } from './approval-policy.ts';
import * as q from './workflow-queries.ts';
import { invoicePaths } from './paths.ts';

/** To everyone who may approve the invoice now: on submission, and after a first of two approvals. */
async function invoiceAwaitingApproval(
  tx: Tx,
  links: Links,
  orgId: string,
  e: { invoiceId: string; event: string; actorId: string },
): Promise<NoticeOutcome | NoticeSkipped> {
  const inv = await q.noticeFacts(tx, orgId, e.invoiceId);
  if (!inv || inv.status !== 'submitted') return { skipped: 'the invoice no longer waits for approval' };
  const approvedBy = await q.approverIds(tx, orgId, e.invoiceId);
  const amount = { minor: inv.amount_minor, minorUnits: inv.minor_units, currency: inv.currency };
  const recipients: string[] = [];
  for (const userId of await memberIdsWithRoles(tx, orgId, ROLES)) {
    const me = userId === e.actorId ? null : await q.approver(tx, orgId, userId);
    if (
      me &&
      canApprove({
        approver: { userId, role: me.role, limit: me.limit },
        invoice: { status: inv.status, submittedBy: inv.submitted_by, createdBy: inv.created_by, amount, approvedBy },
      })
    )
      recipients.push(userId);
  }
  const org = await noticeOrg(tx, orgId);
  const money = formatMoney(inv.amount_minor, inv.currency, inv.minor_units);
  return deliverNotice(
    tx,
    links,
    orgId,
    {
      kind: 'invoice_awaiting_approval',
      event: `invoice_awaiting_approval:${inv.id}:${e.event}`,
      subject: `Invoice ${inv.number} from ${inv.vendor_name} is waiting for your approval`,
      body: `Invoice ${inv.number} from ${inv.vendor_name} (${money}) in ${org.name} is waiting for your approval${approvedBy.length ? ` (${approvedBy.length} approval so far; it needs another)` : ''}.`,
      path: invoicePaths.detail(org.slug, inv.id),
    },
    recipients,
  );
}

/** To the submitter, when the invoice is approved (for good) or rejected. */
async function invoiceDecided(
  tx: Tx,
  links: Links,
  orgId: string,
  e: { invoiceId: string; historyId: string; actorId: string; outcome: 'approved' | 'rejected' },
): Promise<NoticeOutcome | NoticeSkipped> {
  const inv = await q.noticeFacts(tx, orgId, e.invoiceId);
  if (!inv?.submitted_by) return { skipped: 'the invoice has no submitter' };
  const org = await noticeOrg(tx, orgId);
  const money = formatMoney(inv.amount_minor, inv.currency, inv.minor_units);
  const kind = e.outcome === 'approved' ? 'invoice_approved' : 'invoice_rejected';
  return deliverNotice(
    tx,
    links,
    orgId,
    {
      kind,
      event: `${kind}:${inv.id}:${e.historyId}`,
      subject: `Invoice ${inv.number} from ${inv.vendor_name} was ${e.outcome}`,
      body:
        e.outcome === 'approved'
          ? `Your invoice ${inv.number} from ${inv.vendor_name} (${money}) in ${org.name} was approved. It can now go into a payout.`
          : `Your invoice ${inv.number} from ${inv.vendor_name} (${money}) in ${org.name} was rejected.\n\nReason: ${inv.rejection_reason ?? '—'}`,
      path: invoicePaths.detail(org.slug, inv.id),
    },
    [inv.submitted_by].filter((id) => id !== e.actorId),
  );
}

export const notifyInvoiceApprovers = defineNoticeTask({
  name: 'notifications.invoice_awaiting_approval',
  label: 'Tell approvers an invoice waits for them',
  input: z.object({ invoiceId: uuid(), event: z.string().min(1).max(200), actorId: uuid() }),
  notify: invoiceAwaitingApproval,
});

export const notifyInvoiceDecision = defineNoticeTask({
  name: 'notifications.invoice_decided',
  label: 'Tell the submitter an invoice was decided',
  input: z.object({
    invoiceId: uuid(),
    historyId: z.string().regex(/^\d+$/),
    actorId: uuid(),
    outcome: z.enum(['approved', 'rejected']),
  }),
  notify: invoiceDecided,
});

export const INVOICE_NOTICE_TASKS = [notifyInvoiceApprovers, notifyInvoiceDecision];
