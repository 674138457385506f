// The vendors page: the suppliers the org pays, with their payment details masked.
import { Card } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import { Page } from '../../core/views/page.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { vendorPaths } from './paths.ts';
import { VENDOR_STATUS } from './status.ts';

type VendorRow = {
  id: string;
  name: string;
  tax_id: string;
  default_currency: string;
  archived_at: Date | null;
  invoice_count: number;
  payment: string;
};

export function VendorsPage({
  ctx,
  vendors,
  filter,
  canManage,
}: {
  ctx: PageContext;
  vendors: VendorRow[];
  filter: { q: string; archived: boolean };
  canManage: boolean;
}) {
  const slug = ctx.org?.slug ?? '';
  const filtered = filter.q !== '' || filter.archived;
  return (
    <Page
      ctx={ctx}
      title="Vendors"
      subtitle="The companies and people your organization pays. Bank details are always shown masked."
      actions={
        canManage && (
          <a class="button" href={vendorPaths.new(slug)}>
            Add vendor
          </a>
        )
      }
    >
      <Card>
        <form method="get" action={vendorPaths.list(slug)} class="vendor-search" role="search">
          <label class="visually-hidden" for="vendor-q">
            Search vendors
          </label>
          <input id="vendor-q" type="search" name="q" value={filter.q} placeholder="Name or tax id" maxLength={100} />
          <label class="checkbox">
            <input type="checkbox" name="archived" value="1" checked={filter.archived} />
            <span>Include archived</span>
          </label>
          <button class="button button-ghost button-small" type="submit">
            Search
          </button>
          {filtered && (
            <a class="small" href={vendorPaths.list(slug)}>
              Clear
            </a>
          )}
        </form>
        <DataTable<VendorRow>
          columns={[
            {
              header: 'Vendor',
              cell: (v) => (
                <>
                  <a href={vendorPaths.detail(slug, v.id)}>{v.name}</a>{' '}
                  {v.archived_at && <StatusBadge kind={VENDOR_STATUS} status="archived" />}
                </>
              ),
            },
            { header: 'Tax id', class: 'nowrap', cell: (v) => v.tax_id },
            { header: 'Currency', cell: (v) => v.default_currency },
            { header: 'Payment details', class: 'nowrap', cell: (v) => <code>{v.payment}</code> },
            { header: 'Invoices', cell: (v) => v.invoice_count },
          ]}
          rows={vendors}
          empty={filtered ? noMatch(filter.archived) : noVendors(slug, canManage)}
        />
      </Card>
    </Page>
  );
}

function noMatch(archived: boolean) {
  return {
    title: 'No vendor matches',
    children: `Try another name or tax id${archived ? '' : ', or include archived vendors'}.`,
  };
}

function noVendors(slug: string, canManage: boolean) {
  return {
    title: 'No vendors yet',
    children: canManage ? (
      <>
        Add the suppliers you pay, with their tax id and bank details, so invoices can be recorded against them.
        <p>
          <a class="button" href={vendorPaths.new(slug)}>
            Add your first vendor
          </a>
        </p>
      </>
    ) : (
      'Owners, admins and accountants add the suppliers your organization pays.'
    ),
  };
}
