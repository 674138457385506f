import type { InvoiceStatus } from '../../core/db/schema.ts';
import type { FormState } from '../../core/http/forms.ts';
import { formatMoney } from '../../core/money.ts';
import {
  Badge,
  Card,
  CsrfField,
  EmptyState,
  Field,
  formatDay,
  FormMessage,
  PageHeader,
  SelectField,
  Time,
} from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';
import type { VendorView } from './service.ts';

type VendorRow = {
  id: string;
  name: string;
  tax_id: string;
  default_currency: string;
  archived_at: Date | null;
  invoice_count: number;
  payment: string;
};
type InvoiceRow = {
  id: string;
  number: string;
  issue_date: string;
  due_date: string;
  amount_minor: string;
  currency: string;
  minor_units: number;
  status: InvoiceStatus;
};

export const STATUS_TONE: Record<InvoiceStatus, 'neutral' | 'green' | 'red' | 'amber' | 'blue'> = {
  draft: 'neutral',
  submitted: 'amber',
  approved: 'green',
  rejected: 'red',
  scheduled: 'blue',
  paid: 'green',
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

export function VendorPage(props: {
  ctx: PageContext;
  vendor: VendorView;
  invoices: InvoiceRow[];
  invoiceCount: number;
  canManage: boolean;
  canInvoice: boolean;
}) {
  const { ctx, vendor: v, invoices, invoiceCount, canManage } = props;
  const canInvoice = props.canInvoice && !v.archived_at;
  const slug = ctx.org?.slug ?? '';
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  return (
    <Layout ctx={ctx} title={v.name}>
      <p class="small">
        <a href={`/o/${slug}/vendors`}>← All vendors</a>
      </p>
      <PageHeader
        title={v.name}
        subtitle={v.archived_at ? 'Archived: kept with its invoices, not offered for new ones.' : `Tax id ${v.tax_id}`}
        actions={
          <>
            {canInvoice && (
              <a class="button" href={`/o/${slug}/invoices/new?vendor=${v.id}`}>
                New invoice
              </a>
            )}
            {canManage && (
              <a class="button button-ghost" href={`/o/${slug}/vendors/${v.id}/edit`}>
                Edit
              </a>
            )}
          </>
        }
      />
      <div class="grid-2">
        <Card title="Details">
          <dl class="meta">
            <dt>Tax id</dt>
            <dd>{v.tax_id}</dd>
            <dt>{v.hasIban ? 'IBAN' : 'Account number'}</dt>
            <dd>
              <code>{v.payment}</code>
            </dd>
            {v.bic && (
              <>
                <dt>BIC</dt>
                <dd>{v.bic}</dd>
              </>
            )}
            <dt>Default currency</dt>
            <dd>{v.default_currency}</dd>
            <dt>Email</dt>
            <dd>{v.email ?? <span class="muted">none</span>}</dd>
            <dt>Added</dt>
            <dd>
              <Time value={v.created_at} zone={zone} />
            </dd>
            <dt>Status</dt>
            <dd>{v.archived_at ? <Badge>archived</Badge> : <Badge tone="green">active</Badge>}</dd>
          </dl>
          {canManage && (
            <form
              method="post"
              action={`/o/${slug}/vendors/${v.id}/${v.archived_at ? 'unarchive' : 'archive'}`}
              data-confirm={
                v.archived_at
                  ? `Make ${v.name} active again? It will be offered for new invoices.`
                  : `Archive ${v.name}? Its invoices stay; it is no longer offered for new ones.`
              }
            >
              <CsrfField token={ctx.csrfToken} />
              <button
                class={v.archived_at ? 'button button-ghost button-small' : 'button button-danger-ghost button-small'}
                type="submit"
              >
                {v.archived_at ? 'Unarchive' : 'Archive'}
              </button>
            </form>
          )}
        </Card>
        <Card
          title={`Recent invoices${invoiceCount > invoices.length ? ` (${invoices.length} of ${invoiceCount})` : ''}`}
        >
          {invoices.length === 0 ? (
            <EmptyState title="No invoices from this vendor yet">
              {canInvoice && <a href={`/o/${slug}/invoices/new?vendor=${v.id}`}>Record the first one</a>}
            </EmptyState>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th>Number</th>
                    <th>Issued</th>
                    <th>Amount</th>
                    <th>Status</th>
                  </tr>
                </thead>
                <tbody>
                  {invoices.map((i) => (
                    <tr>
                      <td>
                        <a href={`/o/${slug}/invoices/${i.id}`}>{i.number}</a>
                      </td>
                      <td class="nowrap">{formatDay(i.issue_date)}</td>
                      <td class="nowrap">{formatMoney(i.amount_minor, i.currency, i.minor_units)}</td>
                      <td>
                        <Badge tone={STATUS_TONE[i.status]}>{i.status}</Badge>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </Layout>
  );
}

export function VendorFormPage({
  ctx,
  form,
  currencies,
  vendor,
}: {
  ctx: PageContext;
  form: FormState;
  currencies: { code: string; name: string }[];
  vendor: VendorView | null;
}) {
  const slug = ctx.org?.slug ?? '';
  const title = vendor ? `Edit ${vendor.name}` : 'Add vendor';
  const keep = vendor ? `Leave empty to keep •••${vendor.last4}.` : '';
  return (
    <Layout ctx={ctx} title={title}>
      <p class="small">
        <a href={vendor ? `/o/${slug}/vendors/${vendor.id}` : `/o/${slug}/vendors`}>
          ← {vendor ? vendor.name : 'All vendors'}
        </a>
      </p>
      <PageHeader
        title={title}
        subtitle="Bank details are stored for payouts and only ever shown masked. Changes are recorded in the activity log."
      />
      <Card>
        <FormMessage form={form} />
        <form
          method="post"
          action={vendor ? `/o/${slug}/vendors/${vendor.id}/edit` : `/o/${slug}/vendors`}
          class="stack settings-form"
          novalidate
        >
          <CsrfField token={ctx.csrfToken} />
          <Field form={form} name="name" label="Name" required maxLength={200} autocomplete="organization" />
          <Field
            form={form}
            name="tax_id"
            label="Tax id (VAT number)"
            required
            maxLength={50}
            hint="Spaces, dots and case do not matter: DE 123.456.789 is de123456789."
          />
          <Field
            form={form}
            name="iban"
            label="IBAN"
            maxLength={50}
            autocomplete="off"
            hint={
              vendor?.hasIban
                ? keep
                : vendor
                  ? 'Enter an IBAN to replace the account number.'
                  : 'Spaces are fine. Or give an account number below instead.'
            }
          />
          <Field
            form={form}
            name="bic"
            label="BIC (optional)"
            maxLength={20}
            autocomplete="off"
            hint="8 or 11 characters, like COBADEFFXXX."
          />
          <Field
            form={form}
            name="account_number"
            label="Account number (instead of an IBAN)"
            maxLength={40}
            autocomplete="off"
            hint={
              vendor && !vendor.hasIban ? keep : 'For banks outside the IBAN system. Leave empty when you gave an IBAN.'
            }
          />
          <SelectField
            form={form}
            name="default_currency"
            label="Default currency"
            options={currencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` }))}
            hint="New invoices from this vendor start in this currency."
          />
          <Field form={form} name="email" label="Email (optional)" type="email" maxLength={254} autocomplete="off" />
          <div class="form-actions">
            <button class="button" type="submit">
              {vendor ? 'Save vendor' : 'Add vendor'}
            </button>
            <a class="button button-ghost" href={vendor ? `/o/${slug}/vendors/${vendor.id}` : `/o/${slug}/vendors`}>
              Cancel
            </a>
          </div>
        </form>
      </Card>
    </Layout>
  );
}
