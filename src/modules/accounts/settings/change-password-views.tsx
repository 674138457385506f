// The change-password page.
import type { FormState } from '../../../core/http/forms.ts';
import type { PageContext } from '../../../core/views/context.ts';
import { CardPage, FormActions, PostForm } from '../../../core/views/forms.tsx';
import { CurrentPasswordField, NewPasswordField } from '../password-fields.tsx';
import { BACK_TO_ACCOUNT } from './back-to-account.tsx';

export function ChangePasswordPage({ ctx, form }: { ctx: PageContext; form: FormState }) {
  return (
    <CardPage
      ctx={ctx}
      title="Change password"
      intro="You stay signed in here; every other device is signed out."
      back={BACK_TO_ACCOUNT}
      form={form}
    >
      <PostForm action="/account/password" csrfToken={ctx.csrfToken} class="stack" novalidate>
        <CurrentPasswordField form={form} />
        <NewPasswordField form={form} label="New password" />
        <FormActions submit="Change password" secondary={{ href: BACK_TO_ACCOUNT.href, label: 'Cancel' }} />
      </PostForm>
      <p class="muted small">
        Forgot it? <a href="/password/forgot">Reset it by email</a>.
      </p>
    </CardPage>
  );
}
