// The /account page: profile, email address, and links to the rest of the account's settings.
import type { ComponentChildren } from 'preact';
import type { FormState } from '../../../core/http/forms.ts';
import { Badge, Card, Field, FormMessage, Time } from '../../../core/views/components.tsx';
import type { PageContext } from '../../../core/views/context.ts';
import { FormActions, PostForm } from '../../../core/views/forms.tsx';
import { Page } from '../../../core/views/page.tsx';
import { CurrentPasswordField } from '../password-fields.tsx';

type Overview = { name: string; email: string; timeZone: string; passwordChangedAt: Date | null; twoFactor: boolean };

export function AccountPage(props: {
  ctx: PageContext;
  overview: Overview;
  profileForm: FormState;
  emailForm: FormState;
  zones: string[];
}) {
  const { ctx, overview } = props;
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  return (
    <Page
      ctx={ctx}
      title="Account settings"
      subtitle="Your sign-in details and how Ledgerworks shows things to you, in every organization."
    >
      <div class="grid-2 account-grid">
        <Card title="Profile">
          <FormMessage form={props.profileForm} />
          <PostForm action="/account/profile" csrfToken={ctx.csrfToken} class="stack" novalidate>
            <Field form={props.profileForm} name="name" label="Name" autocomplete="name" required maxLength={200} />
            <TimeZoneField form={props.profileForm} zones={props.zones} />
            <FormActions submit="Save profile" />
          </PostForm>
        </Card>
        <Card title="Email address">
          <p>
            You sign in with <strong>{overview.email}</strong>.
          </p>
          <FormMessage form={props.emailForm} />
          <PostForm action="/account/email" csrfToken={ctx.csrfToken} class="stack" novalidate>
            <Field
              form={props.emailForm}
              name="new_email"
              label="New email address"
              type="email"
              autocomplete="email"
              required
              maxLength={254}
              hint="We send a confirmation link there. Nothing changes until you open it."
            />
            <CurrentPasswordField form={props.emailForm} />
            <FormActions submit="Change email" />
          </PostForm>
        </Card>
      </div>
      <ul class="account-links">
        <LinkCard href="/account/password" title="Password">
          {overview.passwordChangedAt ? (
            <>
              Last changed <Time value={overview.passwordChangedAt} zone={zone} />.
            </>
          ) : (
            'Change the password you sign in with.'
          )}
        </LinkCard>
        <LinkCard href="/account/two-factor" title="Two-factor authentication">
          {overview.twoFactor ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>} A code from an app on your phone at
          every sign-in.
        </LinkCard>
        <LinkCard href="/account/notifications" title="Notifications">
          Which emails you get about invoices and payouts: at once, in a daily digest, or not at all.
        </LinkCard>
        <LinkCard href="/account/sessions" title="Signed-in devices">
          See where you are signed in, and sign out devices you do not recognise.
        </LinkCard>
        <LinkCard href="/account/delete" title="Delete account">
          Leave your organizations and close this account.
        </LinkCard>
      </ul>
    </Page>
  );
}

function LinkCard(props: { href: string; title: string; children: ComponentChildren }) {
  return (
    <li>
      <a class="org-card account-link" href={props.href}>
        <span class="account-link-main">
          <span class="org-card-name">{props.title}</span>
          <span class="muted small">{props.children}</span>
        </span>
        <span aria-hidden="true">›</span>
      </a>
    </li>
  );
}

function TimeZoneField({ form, zones }: { form: FormState; zones: string[] }) {
  const error = form.errors.time_zone;
  const selected = form.values.time_zone ?? 'UTC';
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for="f-time_zone">Time zone</label>
      <select
        id="f-time_zone"
        name="time_zone"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'f-time_zone-error f-time_zone-hint' : 'f-time_zone-hint'}
      >
        {zones.map((z) => (
          <option value={z} selected={z === selected}>
            {z.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
      <p class="hint" id="f-time_zone-hint">
        Dates and times are shown in this zone.
      </p>
      {error && (
        <p class="field-error" id="f-time_zone-error">
          {error}
        </p>
      )}
    </div>
  );
}
