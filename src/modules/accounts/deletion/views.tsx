// The delete-account page.
import type { FormState } from '../../../core/http/forms.ts';
import { FormMessage } from '../../../core/views/components.tsx';
import type { PageContext } from '../../../core/views/context.ts';
import { CardPage, FormActions, PostForm } from '../../../core/views/forms.tsx';
import { CurrentPasswordField } from '../password-fields.tsx';
import { BACK_TO_ACCOUNT } from '../settings/back-to-account.tsx';

export function DeleteAccountPage({ ctx, form, blocking }: { ctx: PageContext; form: FormState; blocking: string[] }) {
  const confirmError = form.errors.confirm;
  return (
    <CardPage ctx={ctx} title="Delete account" heading="Delete your account" back={BACK_TO_ACCOUNT}>
      <p>
        You will be signed out everywhere, removed from every organization, and unable to sign in again. An organization
        where you are the only member is deleted with your account.
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
      <PostForm action="/account/delete" csrfToken={ctx.csrfToken} class="stack" novalidate>
        <CurrentPasswordField form={form} />
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
        <FormActions
          submit="Delete my account"
          submitClass="button button-danger"
          secondary={{ href: BACK_TO_ACCOUNT.href, label: 'Cancel' }}
        />
      </PostForm>
    </CardPage>
  );
}
