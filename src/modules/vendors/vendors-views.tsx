// The vendors page: the suppliers the org pays, with their payment details masked.
import { Badge, Card, EmptyState, PageHeader } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';

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
    <Layout ctx={ctx} title="Vendors">
      <PageHeader
        title="Vendors"
        subtitle="The companies and people your organization pays. Bank details are always shown masked."
        actions={
          canManage && (
            <a class="button" href={`/o/${slug}/vendors/new`}>
              Add vendor
            </a>
          )
        }
      />
      <Card>
        <form method="get" action={`/o/${slug}/vendors`} class="vendor-search" role="search">
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
            <a class="small" href={`/o/${slug}/vendors`}>
              Clear
            </a>
          )}
        </form>
        {vendors.length === 0 ? (
          filtered ? (
            <EmptyState title="No vendor matches">
              Try another name or tax id{filter.archived ? '' : ', or include archived vendors'}.
            </EmptyState>
          ) : (
            <EmptyState title="No vendors yet">
              {canManage ? (
                <>
                  Add the suppliers you pay, with their tax id and bank details, so invoices can be recorded against
                  them.
                  <p>
                    <a class="button" href={`/o/${slug}/vendors/new`}>
                      Add your first vendor
                    </a>
                  </p>
                </>
              ) : (
                'Owners, admins and accountants add the suppliers your organization pays.'
              )}
            </EmptyState>
          )
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>Vendor</th>
                  <th>Tax id</th>
                  <th>Currency</th>
                  <th>Payment details</th>
                  <th>Invoices</th>
                </tr>
              </thead>
              <tbody>
                {vendors.map((v) => (
                  <tr>
                    <td>
                      <a href={`/o/${slug}/vendors/${v.id}`}>{v.name}</a> {v.archived_at && <Badge>archived</Badge>}
                    </td>
                    <td class="nowrap">{v.tax_id}</td>
                    <td>{v.default_currency}</td>
                    <td class="nowrap">
                      <code>{v.payment}</code>
                    </td>
                    <td>{v.invoice_count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </Layout>
  );
}
