// The delete-account page.
import type { FormState } from '../../../core/http/forms.ts';
import { CsrfField, Field, FormMessage } from '../../../core/views/components.tsx';
import type { PageContext } from '../../../core/views/context.ts';
import { Layout } from '../../../core/views/layout.tsx';
import { BackToAccount } from '../settings/back-to-account.tsx';

export function DeleteAccountPage({ ctx, form, blocking }: { ctx: PageContext; form: FormState; blocking: string[] }) {
  const confirmError = form.errors.confirm;
  return (
    <Layout ctx={ctx} title="Delete account" narrow>
      <BackToAccount />
      <section class="card auth-card">
        <h1>Delete your account</h1>
        <p>
          You will be signed out everywhere, removed from every organization, and unable to sign in again. An
          organization where you are the only member is deleted with your account.
        </p>
        <p class="muted">
          What you did in your organizations stays in their history: finance records must keep who did what.
        </p>
        {blocking.length > 0 && (
          <div class="flash flash-info" role="status">
            You are the only owner of {blocking.join(', ')}, which {blocking.length > 1 ? 'have' : 'has'} other members.
            Make another member an owner first.
          </div>
        )}
        <FormMessage form={form} />
        <form method="post" action="/account/delete" class="stack" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <Field
            form={form}
            name="current_password"
            label="Current password"
            type="password"
            autocomplete="current-password"
            required
          />
          <div class={confirmError ? 'field field-invalid' : 'field'}>
            <label class="checkbox">
              <input
                type="checkbox"
                name="confirm"
                value="yes"
                checked={form.values.confirm === 'yes'}
                aria-describedby={confirmError ? 'f-confirm-error' : undefined}
              />
              <span>I understand that my account will be deleted and cannot be restored.</span>
            </label>
            {confirmError && (
              <p class="field-error" id="f-confirm-error">
                {confirmError}
              </p>
            )}
          </div>
          <div class="form-actions">
            <button class="button button-danger" type="submit">
              Delete my account
            </button>
            <a class="button button-ghost" href="/account">
              Cancel
            </a>
          </div>
        </form>
      </section>
    </Layout>
  );
}
