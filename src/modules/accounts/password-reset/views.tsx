// The password-reset pages: ask for a link, link sent, choose a new password.
import type { FormState } from '../../../core/http/forms.ts';
import { CsrfField, Field, FormMessage } from '../../../core/views/components.tsx';
import type { PageContext } from '../../../core/views/context.ts';
import { AuthCard } from '../auth-card.tsx';

export function ForgotPasswordPage({ ctx, form }: { ctx: PageContext; form: FormState }) {
  return (
    <AuthCard ctx={ctx} title="Reset your password">
      <p class="muted">Enter the email address of your account. We will send you a link to choose a new password.</p>
      <FormMessage form={form} />
      <form method="post" action="/password/forgot" class="stack" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <Field form={form} name="email" label="Email" type="email" autocomplete="username" required maxLength={254} />
        <button class="button button-block" type="submit">
          Send reset link
        </button>
      </form>
      <p class="muted small center">
        Remembered it? <a href="/login">Sign in</a>
      </p>
    </AuthCard>
  );
}

export function ResetLinkSentPage({ ctx }: { ctx: PageContext }) {
  return (
    <AuthCard ctx={ctx} title="Check your email">
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
    </AuthCard>
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
    <AuthCard ctx={ctx} title="Choose a new password">
      <p class="muted">
        For <strong>{email}</strong>. Every device signed in to this account will be signed out.
      </p>
      <FormMessage form={form} />
      <form method="post" action={`/password/reset/${token}`} class="stack" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <input type="text" name="username" value={email} autocomplete="username" hidden readOnly />
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
        <button class="button button-block" type="submit">
          Set new password
        </button>
      </form>
    </AuthCard>
  );
}
