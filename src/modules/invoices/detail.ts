// The invoice detail page's data: the invoice, its approvals, its history merged with its
// comments, and what the viewer may do with it in its current state.
import type { UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import type { InvoiceStatus } from './statuses.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { NotFoundError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { authorize, rightsFor } from './policy.ts';
import { isSubmitted, type InvoiceRecord } from './record-rules.ts';
import * as q from './workflow-queries.ts';

export type TimelineEntry =
  | { kind: 'status'; at: Date; who: string | null; from: InvoiceStatus | null; to: InvoiceStatus; note: string | null }
  | { kind: 'comment'; at: Date; who: string | null; body: string };

export type InvoiceRights = {
  submit: boolean;
  edit: boolean;
  withdraw: boolean;
  approve: boolean;
  reject: boolean;
  comment: boolean;
  approveBlocker: string | null;
};

export async function invoiceDetail(db: Db, actor: UserActor, org: OrgContext, invoiceId: string) {
  authorize(org, 'invoice.view');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const invoice = await q.invoiceWithVendor(tx, org.id, invoiceId);
    if (!invoice) throw new NotFoundError('We could not find that invoice.');
    const me = await q.approver(tx, org.id, actor.userId);
    if (!me) throw new NotFoundError();
    const [approvals, history, comments] = await Promise.all([
      q.approvals(tx, org.id, invoiceId),
      q.statusHistory(tx, org.id, invoiceId),
      q.comments(tx, org.id, invoiceId),
    ]);
    const timeline: TimelineEntry[] = [
      ...history.map((h) => ({
        kind: 'status' as const,
        at: h.created_at,
        who: h.actor_name,
        from: h.from_status,
        to: h.to_status,
        note: h.note,
      })),
      ...comments.map((c) => ({ kind: 'comment' as const, at: c.created_at, who: c.author_name, body: c.body })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime());
    const record: InvoiceRecord = {
      status: invoice.status,
      submittedBy: invoice.submitted_by,
      createdBy: invoice.created_by,
      amount: { minor: invoice.amount_minor, minorUnits: invoice.minor_units, currency: invoice.currency },
      approvedBy: approvals.map((a) => a.approver_id),
      approverLimit: me.limit,
    };
    // The role as of now (me), as the workflow services read it.
    const may = rightsFor({ org: { role: me.role }, userId: actor.userId }, record);
    const rights: InvoiceRights = {
      submit: may['invoice.create'].allowed,
      edit: may['invoice.edit'].allowed,
      withdraw: may['invoice.withdraw'].allowed,
      approve: may['invoice.approve'].allowed,
      reject: may['invoice.reject'].allowed,
      comment: may['invoice.comment'].allowed,
      // Shown to people who approve invoices, so that a missing button explains itself.
      approveBlocker: isSubmitted(record) ? (may['invoice.approve'].reason ?? null) : null,
    };
    return { invoice, approvals, timeline, rights };
  });
}

export type InvoiceDetail = Awaited<ReturnType<typeof invoiceDetail>>;
