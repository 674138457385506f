// The password-reset pages: ask for a link, link sent, choose a new password.
import type { FormState } from '../../../core/http/forms.ts';
import { Field } from '../../../core/views/components.tsx';
import type { PageContext } from '../../../core/views/context.ts';
import { CardPage, PostForm } from '../../../core/views/forms.tsx';
import { NewPasswordField } from '../password-fields.tsx';

export function ForgotPasswordPage({ ctx, form }: { ctx: PageContext; form: FormState }) {
  return (
    <CardPage
      ctx={ctx}
      title="Reset your password"
      intro="Enter the email address of your account. We will send you a link to choose a new password."
      form={form}
    >
      <PostForm action="/password/forgot" csrfToken={ctx.csrfToken} class="stack" novalidate>
        <Field form={form} name="email" label="Email" type="email" autocomplete="username" required maxLength={254} />
        <button class="button button-block" type="submit">
          Send reset link
        </button>
      </PostForm>
      <p class="muted small center">
        Remembered it? <a href="/login">Sign in</a>
      </p>
    </CardPage>
  );
}

export function ResetLinkSentPage({ ctx }: { ctx: PageContext }) {
  return (
    <CardPage ctx={ctx} title="Check your email">
      <p>
        If an account uses that address, we have sent it a link to choose a new password. The link works once, for one
        hour.
      </p>
      <p class="muted">
        Nothing after a few minutes? Check your spam folder, or make sure you typed the address you signed up with.
      </p>
      <p class="muted small center">
        <a href="/password/forgot">Send another link</a> · <a href="/login">Sign in</a>
      </p>
    </CardPage>
  );
}

export function ResetPasswordPage({
  ctx,
  form,
  token,
  email,
}: {
  ctx: PageContext;
  form: FormState;
  token: string;
  email: string;
}) {
  return (
    <CardPage
      ctx={ctx}
      title="Choose a new password"
      intro={
        <>
          For <strong>{email}</strong>. Every device signed in to this account will be signed out.
        </>
      }
      form={form}
    >
      <PostForm action={`/password/reset/${token}`} csrfToken={ctx.csrfToken} class="stack" novalidate>
        <input type="text" name="username" value={email} autocomplete="username" hidden readOnly />
        <NewPasswordField form={form} label="New password" />
        <button class="button button-block" type="submit">
          Set new password
        </button>
      </PostForm>
    </CardPage>
  );
}
