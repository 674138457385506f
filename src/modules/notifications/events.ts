// Who hears about which workflow event. Each function runs in the org's transaction of the
// notification task, reads the record as it is now, and hands the notice to deliverNotice.
// The person who caused the event never gets a notification about it.
import type { Tx } from '../../core/db/pool.ts';
import { ROLES } from '../../core/db/schema.ts';
import { formatMoney } from '../../core/money.ts';
import { approverOf, canApprove } from '../invoices/service.ts';
import { canPayouts } from '../payouts/service.ts';
import { deliverNotice, type NoticeOutcome } from './notify.ts';
import * as q from './queries.ts';

type Skipped = { skipped: string };
// A function, not a constant: payouts imports this module, so its policy is not loaded yet when this file is.
const payoutApproverRoles = () => ROLES.filter((role) => canPayouts({ role }, 'payout.approve'));

/** To everyone who may approve the invoice now: on submission, and after a first of two approvals. */
export async function invoiceAwaitingApproval(
  tx: Tx,
  orgId: string,
  e: { invoiceId: string; event: string; actorId: string },
): Promise<NoticeOutcome | Skipped> {
  const inv = await q.invoiceFacts(tx, orgId, e.invoiceId);
  if (!inv || inv.status !== 'submitted') return { skipped: 'the invoice no longer waits for approval' };
  const approvedBy = await q.invoiceApproverIds(tx, orgId, e.invoiceId);
  const amount = { minor: inv.amount_minor, minorUnits: inv.minor_units, currency: inv.currency };
  const recipients: string[] = [];
  for (const userId of await q.memberIdsWithRoles(tx, orgId, ROLES)) {
    const me = userId === e.actorId ? null : await approverOf(tx, orgId, userId);
    if (
      me &&
      canApprove({
        approver: { userId, role: me.role, limit: me.limit },
        invoice: { status: inv.status, submittedBy: inv.submitted_by, amount, approvedBy },
      })
    )
      recipients.push(userId);
  }
  const org = await q.orgSlug(tx, orgId);
  const money = formatMoney(inv.amount_minor, inv.currency, inv.minor_units);
  return deliverNotice(
    tx,
    orgId,
    {
      kind: 'invoice_awaiting_approval',
      event: `invoice_awaiting_approval:${inv.id}:${e.event}`,
      subject: `Invoice ${inv.number} from ${inv.vendor_name} is waiting for your approval`,
      body: `Invoice ${inv.number} from ${inv.vendor_name} (${money}) in ${org.name} is waiting for your approval${approvedBy.length ? ` (${approvedBy.length} approval so far; it needs another)` : ''}.`,
      path: `/o/${org.slug}/invoices/${inv.id}`,
    },
    recipients,
  );
}

/** To the submitter, when the invoice is approved (for good) or rejected. */
export async function invoiceDecided(
  tx: Tx,
  orgId: string,
  e: { invoiceId: string; historyId: string; actorId: string; outcome: 'approved' | 'rejected' },
): Promise<NoticeOutcome | Skipped> {
  const inv = await q.invoiceFacts(tx, orgId, e.invoiceId);
  if (!inv?.submitted_by) return { skipped: 'the invoice has no submitter' };
  const org = await q.orgSlug(tx, orgId);
  const money = formatMoney(inv.amount_minor, inv.currency, inv.minor_units);
  const kind = e.outcome === 'approved' ? 'invoice_approved' : 'invoice_rejected';
  return deliverNotice(
    tx,
    orgId,
    {
      kind,
      event: `${kind}:${inv.id}:${e.historyId}`,
      subject: `Invoice ${inv.number} from ${inv.vendor_name} was ${e.outcome}`,
      body:
        e.outcome === 'approved'
          ? `Your invoice ${inv.number} from ${inv.vendor_name} (${money}) in ${org.name} was approved. It can now go into a payout.`
          : `Your invoice ${inv.number} from ${inv.vendor_name} (${money}) in ${org.name} was rejected.\n\nReason: ${inv.rejection_reason ?? '—'}`,
      path: `/o/${org.slug}/invoices/${inv.id}`,
    },
    [inv.submitted_by].filter((id) => id !== e.actorId),
  );
}

/** To everyone who may approve payouts, except its creator. */
export async function payoutAwaitingApproval(
  tx: Tx,
  orgId: string,
  e: { payoutId: string; actorId: string },
): Promise<NoticeOutcome | Skipped> {
  const p = await q.payoutFacts(tx, orgId, e.payoutId);
  if (!p || p.status !== 'pending') return { skipped: 'the payout no longer waits for approval' };
  const recipients = (await q.memberIdsWithRoles(tx, orgId, payoutApproverRoles())).filter(
    (id) => id !== p.created_by && id !== e.actorId,
  );
  const org = await q.orgSlug(tx, orgId);
  return deliverNotice(
    tx,
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
export async function payoutPaid(
  tx: Tx,
  orgId: string,
  e: { payoutId: string; actorId: string },
): Promise<NoticeOutcome | Skipped> {
  const p = await q.payoutFacts(tx, orgId, e.payoutId);
  if (!p || p.status !== 'paid') return { skipped: 'the payout is not paid' };
  const recipients = [p.created_by, ...(await q.payoutSubmitterIds(tx, orgId, p.id))].filter(
    (id): id is string => !!id && id !== e.actorId,
  );
  const org = await q.orgSlug(tx, orgId);
  return deliverNotice(
    tx,
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
