import type { Invoice } from '../../core/db/schema.ts';
import { CATEGORIES } from './categories.ts';
import type { FormState } from '../../core/http/forms.ts';
import {
  Card,
  EmptyState,
  Field,
  FormMessage,
  PageHeader,
  SelectField,
  TextAreaField,
} from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { BackLink, FormActions, PostForm } from '../../core/views/forms.tsx';
import { Layout } from '../../core/views/layout.tsx';
import { orgPath } from '../../core/http/paths.ts';
import { invoicePaths } from './paths.ts';
import { MAX_PDF_BYTES } from './attachments.ts';

type VendorChoice = { id: string; name: string; default_currency: string; archived_at: Date | null };

function kilobytes(size: number): string {
  return size >= 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(size / 1024))} KB`;
}

export function InvoiceFormPage(props: {
  ctx: PageContext;
  form: FormState;
  vendors: VendorChoice[];
  currencies: { code: string; name: string }[];
  invoice: Invoice | null;
}) {
  const { ctx, form, invoice } = props;
  const slug = ctx.org?.slug ?? '';
  const title = invoice ? `Edit invoice ${invoice.number}` : 'New invoice';
  const back = invoice ? invoicePaths.detail(slug, invoice.id) : invoicePaths.list(slug);
  return (
    <Layout ctx={ctx} title={title}>
      <BackLink href={back}>{invoice ? `Invoice ${invoice.number}` : 'Invoices'}</BackLink>
      <PageHeader title={title} subtitle="Saved as a draft: you can correct it until it is submitted for approval." />
      {props.vendors.length === 0 ? (
        <>
          <FormMessage form={form} />
          <EmptyState title="Add a vendor first">
            Every invoice comes from a vendor. <a href={orgPath(slug, 'vendors', 'new')}>Add the vendor</a> (or
            unarchive it), then come back.
          </EmptyState>
        </>
      ) : (
        <Card>
          <FormMessage form={form} />
          <PostForm
            action={invoice ? invoicePaths.action(slug, invoice.id, 'edit') : invoicePaths.list(slug)}
            csrfToken={ctx.csrfToken}
            multipart
            class="stack"
            novalidate
          >
            <SelectField
              form={form}
              name="vendor_id"
              label="Vendor"
              options={[
                { value: '', label: 'Choose a vendor…' },
                ...props.vendors.map((v) => ({ value: v.id, label: v.archived_at ? `${v.name} (archived)` : v.name })),
              ]}
              hint={
                invoice
                  ? 'Archived vendors are not offered (a draft keeps the one it names).'
                  : 'Archived vendors are not offered.'
              }
            />
            <div class="grid-2">
              <Field form={form} name="number" label="Invoice number" required maxLength={64} autocomplete="off" />
              <SelectField
                form={form}
                name="category"
                label="Category"
                options={[
                  { value: '', label: 'Choose a category…' },
                  ...CATEGORIES.map((c) => ({ value: c, label: c[0]!.toUpperCase() + c.slice(1) })),
                ]}
              />
              <Field form={form} name="issue_date" label="Issue date" type="date" required />
              <Field form={form} name="due_date" label="Due date" type="date" required />
              <Field
                form={form}
                name="amount"
                label="Amount"
                required
                maxLength={30}
                autocomplete="off"
                hint="As on the invoice, like 1,234.50."
              />
              <SelectField
                form={form}
                name="currency"
                label="Currency"
                options={[
                  { value: '', label: 'The vendor’s default currency' },
                  ...props.currencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` })),
                ]}
              />
            </div>
            <TextAreaField form={form} name="description" label="Description (optional)" rows={3} maxLength={2000} />
            <FileField form={form} invoice={invoice} slug={slug} />
            <FormActions
              submit={invoice ? 'Save draft' : 'Save as draft'}
              secondary={{ href: back, label: 'Cancel' }}
            />
          </PostForm>
        </Card>
      )}
    </Layout>
  );
}

function FileField({ form, invoice, slug }: { form: FormState; invoice: Invoice | null; slug: string }) {
  const error = form.errors.attachment;
  const limit = `${MAX_PDF_BYTES / 1024 / 1024} MB`;
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for="f-attachment">
        {invoice?.attachment_name ? 'Replace the PDF (optional)' : 'Invoice PDF (optional)'}
      </label>
      {invoice?.attachment_name && invoice.attachment_size !== null && (
        <p class="hint">
          Attached: <a href={invoicePaths.action(slug, invoice.id, 'attachment')}>{invoice.attachment_name}</a> (
          {kilobytes(invoice.attachment_size)}). Leave empty to keep it.
        </p>
      )}
      <input
        id="f-attachment"
        name="attachment"
        type="file"
        accept="application/pdf,.pdf"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'f-attachment-hint f-attachment-error' : 'f-attachment-hint'}
      />
      <p class="hint" id="f-attachment-hint">
        A PDF of at most {limit}.
      </p>
      {error && (
        <p class="field-error" id="f-attachment-error">
          {error}
        </p>
      )}
    </div>
  );
}
