// A vendor's page in the back-office: who they are, how they are paid (masked in SQL: the full
// IBAN or account number leaves the database only when support reveals it, with a reason, audited),
// and their latest invoices.
import { sql } from 'kysely';
import { OrgLink, recordHref, When } from '../../core/admin/cells.tsx';
import type { RecordDecl } from '../../core/admin/record-types.ts';
import { formatMoney } from '../../core/money.ts';
import { Card } from '../../core/views/components.tsx';
import { DataTable } from '../../core/views/data-table.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { INVOICE_STATUS } from '../invoices/service.ts';
import { revealPaymentDetails } from './staff-actions.ts';

/** The vendor's payment details masked in SQL, the same shape as maskIban / maskAccountNumber (core/banking.ts). */
export const maskedInSql = sql<string | null>`case
  when v.iban is not null then left(v.iban, 4) || ' •••• •••• •••• ' || right(v.iban, 4)
  when v.account_number is not null then '•••• ' || right(v.account_number, 4)
  end`;

/** A vendor's page: who they are, how they are paid (masked), and their latest invoices. */
export const vendorRecord: RecordDecl = {
  tenant: true,
  idParam: 'vendorId',
  auditTarget: 'vendor',
  load: async (tx, { orgId, id }, { zone }) => {
    const v = await tx
      .selectFrom('vendors as v')
      .innerJoin('organizations as o', 'o.id', 'v.org_id')
      .select(['v.org_id', 'v.id', 'v.name', 'v.tax_id', 'v.email', 'v.default_currency', 'v.bic'])
      .select(['v.archived_at', 'v.created_at', 'o.slug', 'o.name as org_name', maskedInSql.as('payment_details')])
      .where('v.org_id', '=', orgId!)
      .where('v.id', '=', id)
      .executeTakeFirst();
    if (!v) return null;
    const invoices = await tx
      .selectFrom('invoices as i')
      .innerJoin('currencies as c', 'c.code', 'i.currency')
      .select(['i.id', 'i.number', 'i.status', 'i.amount_minor', 'i.currency', 'c.minor_units', 'i.created_at'])
      .where('i.org_id', '=', v.org_id)
      .where('i.vendor_id', '=', id)
      .orderBy('i.created_at', 'desc')
      .limit(20)
      .execute();
    return {
      title: v.name,
      subtitle: v.archived_at ? 'Vendor, archived' : 'Vendor',
      org: { id: v.org_id, slug: v.slug, name: v.org_name },
      groups: [
        {
          title: 'Vendor',
          facts: [
            ['Organization', <OrgLink slug={v.slug} name={v.org_name} />],
            ['Tax id', v.tax_id],
            ['Email', v.email ?? '—'],
            ['Currency', v.default_currency],
            ['Created', <When value={v.created_at} zone={zone} />],
            ['Archived', v.archived_at ? <When value={v.archived_at} zone={zone} /> : 'no'],
            ['Id', <code>{v.id}</code>],
          ],
        },
        {
          title: 'Payment details (masked)',
          facts: [
            ['Paid to', v.payment_details ?? '—'],
            ['BIC', v.bic ?? '—'],
          ],
        },
      ],
      offers: { reveal: {} },
      related: (
        <Card title="Latest invoices">
          <DataTable
            caption="Latest invoices of this vendor"
            rows={invoices}
            empty={{ title: 'No invoices from this vendor yet' }}
            columns={[
              {
                header: 'Invoice',
                href: (i) => recordHref('invoices')({ ...i, org_id: v.org_id }),
                cell: (i) => i.number,
              },
              { header: 'Status', cell: (i) => <StatusBadge kind={INVOICE_STATUS} status={i.status} /> },
              { header: 'Amount', num: true, cell: (i) => formatMoney(i.amount_minor, i.currency, i.minor_units) },
              { header: 'Recorded', class: 'nowrap', cell: (i) => <When value={i.created_at} zone={zone} /> },
            ]}
          />
        </Card>
      ),
    };
  },
  actions: [
    {
      name: 'reveal',
      label: 'Reveal the full payment details',
      access: 'staff:support',
      explain:
        'Shows the full IBAN or account number once, on this page. The reason is kept in the audit log, which the org can see.',
      reason: true,
      run: async (app, actor, { orgId, id }, { reason }) => ({
        reveal: { title: 'Payment details', facts: await revealPaymentDetails(app.db, actor, orgId!, id, reason!) },
      }),
    },
  ],
};
