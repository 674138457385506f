// The organization's settings form.
import type { FormState } from '../../core/http/forms.ts';
import {
  Card,
  CheckboxField,
  CsrfField,
  Field,
  FormMessage,
  PageHeader,
  SelectField,
} from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';

export function SettingsPage({
  ctx,
  form,
  currencies,
  supportAccess,
}: {
  ctx: PageContext;
  form: FormState;
  currencies: { code: string; name: string }[];
  /** Whether the person may choose support's access (owners). */
  supportAccess: boolean;
}) {
  const slug = ctx.org?.slug ?? '';
  return (
    <Layout ctx={ctx} title="Settings">
      <PageHeader
        title="Organization settings"
        subtitle="Changes are recorded in the activity log with the old and new value."
      />
      <Card>
        <FormMessage form={form} />
        <form method="post" action={`/o/${slug}/settings`} class="stack settings-form" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <Field form={form} name="name" label="Name" required maxLength={200} autocomplete="organization" />
          <Field
            form={form}
            name="billing_email"
            label="Billing email"
            type="email"
            maxLength={254}
            hint="Where invoices about Ledgerworks itself go. When it changes, the previous address is told."
          />
          <SelectField
            form={form}
            name="default_currency"
            label="Default currency"
            options={currencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` }))}
          />
          <Field
            form={form}
            name="approval_threshold"
            label="Two-approval threshold"
            hint="Invoices at or above this amount (in the default currency) need approval by two different people."
            required
          />
          <CheckboxField
            form={form}
            name="require_2fa"
            label="Require two-factor authentication"
            hint="Members without it are asked to set it up before they can open this organization."
          />
          <div class="form-actions">
            <button class="button" type="submit">
              Save settings
            </button>
          </div>
        </form>
      </Card>
      {supportAccess && (
        <Card title="Support access">
          <p class="muted">
            Whether Ledgerworks support may sign in as your members when a ticket needs it, or must ask you first.
          </p>
          <p>
            <a class="button button-ghost" href={`/o/${slug}/settings/support-access`}>
              Manage support access
            </a>
          </p>
        </Card>
      )}
    </Layout>
  );
}
