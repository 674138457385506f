// The new-vendor and edit-vendor form.
import type { FormState } from '../../core/http/forms.ts';
import { Field, SelectField } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { FormActions, FormPage, PostForm } from '../../core/views/forms.tsx';
import { vendorPaths } from './paths.ts';
import type { VendorView } from './service.ts';

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
  const back = vendor ? vendorPaths.detail(slug, vendor.id) : vendorPaths.list(slug);
  return (
    <FormPage
      ctx={ctx}
      title={title}
      intro="Bank details are stored for payouts and only ever shown masked. Changes are recorded in the activity log."
      back={{ href: back, label: vendor ? vendor.name : 'All vendors' }}
      form={form}
    >
      <PostForm
        action={vendor ? vendorPaths.action(slug, vendor.id, 'edit') : vendorPaths.list(slug)}
        csrfToken={ctx.csrfToken}
        class="stack settings-form"
        novalidate
      >
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
        <FormActions submit={vendor ? 'Save vendor' : 'Add vendor'} secondary={{ href: back, label: 'Cancel' }} />
      </PostForm>
    </FormPage>
  );
}
