// The change-password page.
import type { FormState } from '../../../core/http/forms.ts';
import { CsrfField, Field, FormMessage } from '../../../core/views/components.tsx';
import type { PageContext } from '../../../core/views/context.ts';
import { Layout } from '../../../core/views/layout.tsx';
import { BackToAccount } from './back-to-account.tsx';

export function ChangePasswordPage({ ctx, form }: { ctx: PageContext; form: FormState }) {
  return (
    <Layout ctx={ctx} title="Change password" narrow>
      <BackToAccount />
      <section class="card auth-card">
        <h1>Change password</h1>
        <p class="muted">You stay signed in here; every other device is signed out.</p>
        <FormMessage form={form} />
        <form method="post" action="/account/password" class="stack" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <Field
            form={form}
            name="current_password"
            label="Current password"
            type="password"
            autocomplete="current-password"
            required
          />
          <Field
            form={form}
            name="password"
            label="New password"
            type="password"
            autocomplete="new-password"
            required
            minLength={10}
            hint="At least 10 characters. A short sentence works well."
          />
          <div class="form-actions">
            <button class="button" type="submit">
              Change password
            </button>
            <a class="button button-ghost" href="/account">
              Cancel
            </a>
          </div>
        </form>
        <p class="muted small">
          Forgot it? <a href="/password/forgot">Reset it by email</a>.
        </p>
      </section>
    </Layout>
  );
}
