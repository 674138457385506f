// The back-office list of vendors and each vendor's page. Payment details are masked in SQL: the full IBAN or account
// number never leaves the database for these pages.
import { sql, type SqlBool } from 'kysely';
import { OrgLink, RecordLink, When, orgColumn } from '../../core/admin/cells.tsx';
import type { RecordDecl } from '../../core/admin/record-types.ts';
import { defineList, ORG_FILTER, timeSorts, tenantKey } from '../../core/admin/lists.ts';
import { formatMoney } from '../../core/money.ts';
import { Badge, Card } from '../../core/views/components.tsx';
import { DataTable } from '../../core/views/data-table.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { INVOICE_STATUS } from '../invoices/service.ts';

/** The vendor's payment details masked in SQL, the same shape as maskIban / maskAccountNumber (core/banking.ts). */
const maskedInSql = sql<string | null>`case
  when v.iban is not null then left(v.iban, 4) || ' •••• •••• •••• ' || right(v.iban, 4)
  when v.account_number is not null then '•••• ' || right(v.account_number, 4)
  end`;

/** A vendor's page: who they are, how they are paid (masked), and their latest invoices. */
const vendorRecord: RecordDecl = {
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
      related: (
        <Card title="Latest invoices">
          <DataTable
            caption="Latest invoices of this vendor"
            rows={invoices}
            empty={{ title: 'No invoices from this vendor yet' }}
            columns={[
              {
                header: 'Invoice',
                cell: (i) => (
                  <RecordLink list="invoices" orgId={v.org_id} id={i.id}>
                    {i.number}
                  </RecordLink>
                ),
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
};

export const vendorsList = defineList({
  name: 'vendors',
  title: 'Vendors',
  area: 'Finance',
  order: 1,
  description: 'The suppliers of every organization. Payment details show the country and last four only.',
  query: (tx) =>
    tx
      .selectFrom('vendors as v')
      .innerJoin('organizations as o', 'o.id', 'v.org_id')
      .select([
        'v.org_id',
        'v.id',
        'v.name',
        'v.tax_id',
        'v.email',
        'v.default_currency',
        'v.archived_at',
        'v.created_at',
        'o.slug',
        'o.name as org_name',
        maskedInSql.as('payment_details'),
      ]),
  key: tenantKey('v'),
  sorts: timeSorts('v.created_at'),
  search: {
    label: 'Search',
    hint: 'Part of the name (3+ characters), or the whole tax id.',
    fields: [
      { column: 'v.name', match: 'contains', lower: 'call' },
      { column: 'v.tax_id_normalized', match: 'exact', normalize: (t) => t.replace(/[^A-Za-z0-9]/g, '').toUpperCase() },
    ],
  },
  filters: [
    ORG_FILTER,
    {
      kind: 'choice',
      name: 'archived',
      label: 'Archived',
      options: [
        { value: 'no', label: 'In use', where: sql<SqlBool>`v.archived_at is null` },
        { value: 'yes', label: 'Archived', where: sql<SqlBool>`v.archived_at is not null` },
      ],
    },
  ],
  columns: ({ zone }) => [
    orgColumn(),
    {
      header: 'Vendor',
      cell: (v) => (
        <>
          <RecordLink list="vendors" orgId={v.org_id} id={v.id}>
            {v.name}
          </RecordLink>
          {v.archived_at && <Badge>Archived</Badge>}
        </>
      ),
    },
    { header: 'Tax id', class: 'nowrap', cell: (v) => v.tax_id },
    { header: 'Paid to', class: 'nowrap', cell: (v) => v.payment_details ?? '—' },
    { header: 'Currency', secondary: true, cell: (v) => v.default_currency },
    { header: 'Email', class: 'break', secondary: true, cell: (v) => v.email ?? '—' },
    { header: 'Created', class: 'nowrap', cell: (v) => <When value={v.created_at} zone={zone} /> },
  ],
  empty: { title: 'No vendors yet', hint: 'Vendors appear when an org adds or imports its suppliers.' },
  record: vendorRecord,
});
