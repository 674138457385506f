// An invoice's page in the back-office: what it is, its money and dates, who recorded, submitted
// and approved it, and where it went (vendor, payout). The attachment's stored key is never shown.
import { sql } from 'kysely';
import { OrgLink, PersonLink, RecordLink, When } from '../../core/admin/cells.tsx';
import type { RecordDecl } from '../../core/admin/record-types.ts';
import { formatMoney } from '../../core/money.ts';
import { formatDay } from '../../core/views/components.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { INVOICE_STATUS } from './status.ts';

export const invoiceRecord: RecordDecl = {
  tenant: true,
  idParam: 'invoiceId',
  auditTarget: 'invoice',
  load: async (tx, { orgId, id }, { zone }) => {
    const inv = await tx
      .selectFrom('invoices as i')
      .innerJoin('organizations as o', 'o.id', 'i.org_id')
      .innerJoin('vendors as v', (j) => j.onRef('v.org_id', '=', 'i.org_id').onRef('v.id', '=', 'i.vendor_id'))
      .innerJoin('currencies as c', 'c.code', 'i.currency')
      .leftJoin('users as cb', 'cb.id', 'i.created_by')
      .leftJoin('users as sb', 'sb.id', 'i.submitted_by')
      .leftJoin('payouts as p', (j) => j.onRef('p.org_id', '=', 'i.org_id').onRef('p.id', '=', 'i.payout_id'))
      .selectAll('i')
      .select([
        'o.slug',
        'o.name as org_name',
        'v.name as vendor_name',
        'c.minor_units',
        'cb.name as created_by_name',
        'sb.name as submitted_by_name',
        'p.reference as payout_reference',
      ])
      .where('i.org_id', '=', orgId!)
      .where('i.id', '=', id)
      .executeTakeFirst();
    if (!inv) return null;
    const approvals = await tx
      .selectFrom('invoice_approvals as a')
      .innerJoin('users as u', 'u.id', 'a.approver_id')
      .select(['a.approver_id', 'u.name', 'a.created_at'])
      .where('a.org_id', '=', inv.org_id)
      .where('a.invoice_id', '=', id)
      .orderBy('a.created_at')
      .execute();
    const comments = await tx
      .selectFrom('invoice_comments')
      .select(sql<string>`count(*)`.as('n'))
      .where('org_id', '=', inv.org_id)
      .where('invoice_id', '=', id)
      .executeTakeFirstOrThrow();
    const at = (d: Date | null) => (d ? <When value={d} zone={zone} /> : 'not yet');
    return {
      title: `Invoice ${inv.number}`,
      subtitle: inv.vendor_name,
      org: { id: inv.org_id, slug: inv.slug, name: inv.org_name },
      groups: [
        {
          title: 'Invoice',
          facts: [
            ['Status', <StatusBadge kind={INVOICE_STATUS} status={inv.status} />],
            ['Organization', <OrgLink slug={inv.slug} name={inv.org_name} />],
            [
              'Vendor',
              <RecordLink list="vendors" orgId={inv.org_id} id={inv.vendor_id}>
                {inv.vendor_name}
              </RecordLink>,
            ],
            ['Category', inv.category],
            ['Description', inv.description || '—'],
            ['Attachment', inv.attachment_name ? `${inv.attachment_name} (${inv.attachment_size ?? 0} bytes)` : 'none'],
            ['Comments', comments.n],
            ['Id', <code>{inv.id}</code>],
          ],
        },
        {
          title: 'Money and approval',
          facts: [
            ['Amount', formatMoney(inv.amount_minor, inv.currency, inv.minor_units)],
            ['Approvals', `${approvals.length} of ${inv.approvals_required}`],
            ...approvals.map(
              (a, n) =>
                [
                  `Approval ${n + 1}`,
                  <>
                    <PersonLink id={a.approver_id} name={a.name} />, {at(a.created_at)}
                  </>,
                ] as const,
            ),
            ['Rejection reason', inv.rejection_reason ?? '—'],
            [
              'Payout',
              inv.payout_id ? (
                <RecordLink list="payouts" orgId={inv.org_id} id={inv.payout_id}>
                  {inv.payout_reference}
                </RecordLink>
              ) : (
                'none'
              ),
            ],
          ],
        },
        {
          title: 'Dates and people',
          facts: [
            ['Issued', formatDay(inv.issue_date)],
            ['Due', formatDay(inv.due_date)],
            [
              'Recorded',
              <>
                {at(inv.created_at)} by <PersonLink id={inv.created_by} name={inv.created_by_name} />
              </>,
            ],
            [
              'Submitted',
              inv.submitted_at ? (
                <>
                  {at(inv.submitted_at)} by <PersonLink id={inv.submitted_by} name={inv.submitted_by_name} />
                </>
              ) : (
                'not yet'
              ),
            ],
            ['Decided', at(inv.decided_at)],
            ['Paid', at(inv.paid_at)],
          ],
        },
      ],
    };
  },
};
