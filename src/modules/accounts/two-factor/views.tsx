import type { FormState } from '../../../core/http/forms.ts';
import type { OrgSummary } from '../../../core/http/types.ts';
import { Badge, Card, Field, FormMessage, Time } from '../../../core/views/components.tsx';
import type { PageContext } from '../../../core/views/context.ts';
import { CardPage, FormActions, PostButton, PostForm } from '../../../core/views/forms.tsx';
import { Page } from '../../../core/views/page.tsx';
import { CurrentPasswordField } from '../password-fields.tsx';
import { LockedNotice } from '../sign-in/lockout-views.tsx';
import type { TwoFactorStatus } from './two-factor.ts';

const BASE = '/account/two-factor';

/** Keeps "?org=<slug>" on every form of the flow, so the person ends up back in the org that asked. */
function withOrg(path: string, org: OrgSummary | null): string {
  return org ? `${path}?org=${encodeURIComponent(org.slug)}` : path;
}

function CodeField({
  form,
  label = 'Code from your authenticator app',
  hint,
}: {
  form: FormState;
  label?: string;
  hint?: string;
}) {
  return (
    <Field
      form={form}
      name="code"
      label={label}
      autocomplete="one-time-code"
      required
      maxLength={20}
      hint={hint ?? 'The 6-digit code your app shows now.'}
    />
  );
}

export function TwoFactorPage({
  ctx,
  status,
  requiredBy,
  form,
}: {
  ctx: PageContext;
  status: TwoFactorStatus;
  requiredBy: OrgSummary | null;
  form: FormState;
}) {
  const confirmAction = withOrg(`${BASE}/confirm`, requiredBy);
  return (
    <Page
      ctx={ctx}
      title="Two-factor authentication"
      subtitle="A code from an app on your phone, asked for after your password, so a stolen password alone does not open your account."
      narrow
    >
      {requiredBy && status.state !== 'on' && (
        <div class="flash flash-info" role="status">
          {requiredBy.name} requires two-factor authentication. Turn it on to open its pages.
        </div>
      )}
      {status.state === 'on' && (
        <Card title="Status" actions={<Badge tone="green">On</Badge>}>
          <p>
            On since <Time value={status.since} zone={ctx.viewer?.timeZone ?? 'UTC'} />. You have {status.codesLeft}{' '}
            unused recovery {status.codesLeft === 1 ? 'code' : 'codes'}.
          </p>
          {requiredBy && (
            <p>
              <a href={`/o/${requiredBy.slug}`}>Continue to {requiredBy.name}</a>
            </p>
          )}
          <div class="form-actions">
            <a class="button button-ghost" href={`${BASE}/recovery-codes`}>
              New recovery codes
            </a>
            <a class="button button-ghost" href={`${BASE}/disable`}>
              Turn off
            </a>
          </div>
        </Card>
      )}
      {status.state === 'off' && (
        <Card title="Status" actions={<Badge>Off</Badge>}>
          <p>
            You will need an authenticator app, such as 1Password, Google Authenticator, Microsoft Authenticator or
            Aegis.
          </p>
          <PostButton
            action={withOrg(`${BASE}/setup`, requiredBy)}
            csrfToken={ctx.csrfToken}
            label="Set up two-factor authentication"
          />
        </Card>
      )}
      {status.state === 'enrolling' && (
        <Card title="Set up your authenticator app" actions={<Badge tone="amber">Not on yet</Badge>}>
          <ol class="two-factor-steps">
            <li>
              <p>Scan this code with your authenticator app:</p>
              <img
                class="two-factor-qr"
                src={status.qr}
                width={200}
                height={200}
                alt="QR code holding your two-factor secret"
              />
              <p class="muted small">
                Cannot scan it? Enter this key in the app instead:{' '}
                <code class="two-factor-secret">{status.secret.replace(/(.{4})(?=.)/g, '$1 ')}</code>
              </p>
            </li>
            <li>
              <p>Enter the 6-digit code the app now shows, to confirm it works, and your password.</p>
              <FormMessage form={form} />
              <PostForm action={confirmAction} csrfToken={ctx.csrfToken} class="stack" novalidate>
                <CodeField form={form} />
                <CurrentPasswordField
                  form={form}
                  name="password"
                  label="Your current password"
                  hint="Other devices are signed out; they will need a code next time."
                />
                <button class="button" type="submit">
                  Turn on two-factor authentication
                </button>
              </PostForm>
            </li>
          </ol>
        </Card>
      )}
    </Page>
  );
}

/** Shown once, right after the codes are made: they are not stored anywhere they could be read again. */
export function RecoveryCodesPage({
  ctx,
  codes,
  requiredBy,
  title,
}: {
  ctx: PageContext;
  codes: string[];
  requiredBy: OrgSummary | null;
  title: string;
}) {
  return (
    <Page ctx={ctx} title={title} narrow>
      <Card title="Your recovery codes">
        <p>
          Each code signs you in once if you lose your phone. Save them somewhere safe now, such as your password
          manager: <strong>they will not be shown again</strong>.
        </p>
        <ul class="recovery-codes">
          {codes.map((c) => (
            <li>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <div class="form-actions">
          <a class="button" href={requiredBy ? `/o/${requiredBy.slug}` : BASE}>
            {requiredBy ? `I saved them, continue to ${requiredBy.name}` : 'I saved them'}
          </a>
        </div>
      </Card>
    </Page>
  );
}

export function NewRecoveryCodesPage({ ctx, form }: { ctx: PageContext; form: FormState }) {
  return (
    <CardPage
      ctx={ctx}
      title="New recovery codes"
      intro="Your current recovery codes will stop working, and ten new ones will be shown once."
      form={form}
    >
      <PostForm action={`${BASE}/recovery-codes`} csrfToken={ctx.csrfToken} class="stack" novalidate>
        <CodeField form={form} />
        <FormActions submit="Make new codes" secondary={{ href: BASE, label: 'Cancel' }} />
      </PostForm>
    </CardPage>
  );
}

export function DisableTwoFactorPage({ ctx, form }: { ctx: PageContext; form: FormState }) {
  return (
    <CardPage
      ctx={ctx}
      title="Turn off two-factor authentication"
      intro="Signing in will then need only your password. Organizations that require two-factor authentication will be closed to you."
      form={form}
    >
      <PostForm action={`${BASE}/disable`} csrfToken={ctx.csrfToken} class="stack" novalidate>
        <CurrentPasswordField form={form} name="password" />
        <CodeField form={form} hint="The 6-digit code your app shows now, or one of your recovery codes." />
        <FormActions submit="Turn off" secondary={{ href: BASE, label: 'Cancel' }} />
      </PostForm>
    </CardPage>
  );
}

export function LogInCodePage({ ctx, form, locked }: { ctx: PageContext; form: FormState; locked?: Date | null }) {
  return (
    <CardPage
      ctx={ctx}
      title="Two-factor code"
      heading="Enter your code"
      intro="Open your authenticator app and enter the 6-digit code it shows for Ledgerworks."
    >
      {locked ? <LockedNotice until={locked} /> : <FormMessage form={form} />}
      <PostForm action="/login/two-factor" csrfToken={ctx.csrfToken} class="stack" novalidate>
        <CodeField form={form} label="Code" hint="Lost your phone? Enter one of your recovery codes instead." />
        <button class="button button-block" type="submit">
          Sign in
        </button>
      </PostForm>
      <p class="muted small center">
        <a href="/login">Start again</a>
      </p>
    </CardPage>
  );
}
