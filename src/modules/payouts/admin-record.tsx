// A payout's page in the back-office: its state, who created, approved and paid it, whether its
// payment file went out, and the invoices it pays (each linking to its own page).
import { OrgLink, PersonLink, recordHref, When } from '../../core/admin/cells.tsx';
import type { RecordDecl } from '../../core/admin/record-types.ts';
import { formatMoney } from '../../core/money.ts';
import { Card } from '../../core/views/components.tsx';
import { DataTable } from '../../core/views/data-table.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { PAYOUT_STATUS } from './payout-status.ts';

export const payoutRecord: RecordDecl = {
  tenant: true,
  idParam: 'payoutId',
  auditTarget: 'payout',
  load: async (tx, { orgId, id }, { zone }) => {
    const p = await tx
      .selectFrom('payouts as p')
      .innerJoin('organizations as o', 'o.id', 'p.org_id')
      .leftJoin('users as cb', 'cb.id', 'p.created_by')
      .leftJoin('users as pb', 'pb.id', 'p.paid_by')
      .leftJoin('users as xb', 'xb.id', 'p.cancelled_by')
      .selectAll('p')
      .select(['o.slug', 'o.name as org_name', 'cb.name as created_by_name', 'pb.name as paid_by_name'])
      .select('xb.name as cancelled_by_name')
      .where('p.org_id', '=', orgId!)
      .where('p.id', '=', id)
      .executeTakeFirst();
    if (!p) return null;
    const approvals = await tx
      .selectFrom('payout_approvals as a')
      .innerJoin('users as u', 'u.id', 'a.approver_id')
      .select(['a.approver_id', 'u.name', 'a.created_at'])
      .where('a.org_id', '=', p.org_id)
      .where('a.payout_id', '=', id)
      .orderBy('a.created_at')
      .execute();
    const invoices = await tx
      .selectFrom('invoices as i')
      .innerJoin('vendors as v', (j) => j.onRef('v.org_id', '=', 'i.org_id').onRef('v.id', '=', 'i.vendor_id'))
      .innerJoin('currencies as c', 'c.code', 'i.currency')
      .select(['i.id', 'i.number', 'i.amount_minor', 'i.currency', 'c.minor_units', 'v.name as vendor'])
      .where('i.org_id', '=', p.org_id)
      .where('i.payout_id', '=', id)
      .orderBy('i.number')
      .execute();
    const at = (d: Date | null) => (d ? <When value={d} zone={zone} /> : 'not yet');
    const by = (userId: string | null, name: string | null) => <PersonLink id={userId} name={name} />;
    return {
      title: `Payout ${p.reference}`,
      subtitle: `${invoices.length} invoice${invoices.length === 1 ? '' : 's'} in ${p.currency}`,
      org: { id: p.org_id, slug: p.slug, name: p.org_name },
      groups: [
        {
          title: 'Payout',
          facts: [
            ['Status', <StatusBadge kind={PAYOUT_STATUS} status={p.status} />],
            ['Organization', <OrgLink slug={p.slug} name={p.org_name} />],
            ['Currency', p.currency],
            ['Approvals', `${approvals.length} of ${p.approvals_required}`],
            ...approvals.map(
              (a, n) =>
                [
                  `Approval ${n + 1}`,
                  <>
                    {by(a.approver_id, a.name)}, {at(a.created_at)}
                  </>,
                ] as const,
            ),
            ['Bank reference', p.bank_reference ?? '—'],
            ['Id', <code>{p.id}</code>],
          ],
        },
        {
          title: 'Dates and people',
          facts: [
            [
              'Created',
              <>
                {at(p.created_at)} by {by(p.created_by, p.created_by_name)}
              </>,
            ],
            ['Approved', at(p.approved_at)],
            ['Payment file exported', at(p.exported_at)],
            [
              'Paid',
              p.paid_at ? (
                <>
                  {at(p.paid_at)} by {by(p.paid_by, p.paid_by_name)}
                </>
              ) : (
                'not yet'
              ),
            ],
            [
              'Cancelled',
              p.cancelled_at ? (
                <>
                  {at(p.cancelled_at)} by {by(p.cancelled_by, p.cancelled_by_name)}
                </>
              ) : (
                'no'
              ),
            ],
          ],
        },
      ],
      related: (
        <Card title="Invoices in this payout">
          <DataTable
            caption="Invoices in this payout"
            rows={invoices}
            empty={{ title: 'No invoices', children: 'A cancelled payout gives its invoices back.' }}
            columns={[
              {
                header: 'Invoice',
                href: (i) => recordHref('invoices')({ ...i, org_id: p.org_id }),
                cell: (i) => i.number,
              },
              { header: 'Vendor', cell: (i) => i.vendor },
              { header: 'Amount', num: true, cell: (i) => formatMoney(i.amount_minor, i.currency, i.minor_units) },
            ]}
          />
        </Card>
      ),
    };
  },
};
