// The organization's settings form.
import type { FormState } from '../../core/http/forms.ts';
import { Card, CheckboxField, Field, SelectField } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { FormActions, FormPage, PostForm } from '../../core/views/forms.tsx';
import { orgPaths } from './paths.ts';

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
    <FormPage
      ctx={ctx}
      title="Organization settings"
      intro="Changes are recorded in the activity log with the old and new value."
      form={form}
      after={
        supportAccess && (
          <Card title="Support access">
            <p class="muted">
              Whether Ledgerworks support may sign in as your members when a ticket needs it, or must ask you first.
            </p>
            <p>
              <a class="button button-ghost" href={orgPaths.supportAccess(slug)}>
                Manage support access
              </a>
            </p>
          </Card>
        )
      }
    >
      <PostForm action={orgPaths.settings(slug)} csrfToken={ctx.csrfToken} class="stack settings-form" novalidate>
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
        <FormActions submit="Save settings" />
      </PostForm>
    </FormPage>
  );
}
