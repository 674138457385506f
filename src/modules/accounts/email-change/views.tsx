// The pages the email change links open: confirm the new address, or report a change one did not ask for.
import { CsrfField } from '../../../core/views/components.tsx';
import type { PageContext } from '../../../core/views/context.ts';
import { AuthCard } from '../auth-card.tsx';

export function ConfirmEmailPage({ ctx, token, newEmail }: { ctx: PageContext; token: string; newEmail: string }) {
  return (
    <AuthCard ctx={ctx} title="Confirm your new email address">
      <p>
        Use <strong>{newEmail}</strong> to sign in to Ledgerworks and to receive its messages from now on?
      </p>
      <form method="post" action={`/account/email/confirm/${token}`} class="stack">
        <CsrfField token={ctx.csrfToken} />
        <button class="button button-block" type="submit">
          Confirm new address
        </button>
      </form>
    </AuthCard>
  );
}

export function ReportEmailPage({ ctx, token, newEmail }: { ctx: PageContext; token: string; newEmail: string }) {
  return (
    <AuthCard ctx={ctx} title="Did you not ask for this change?">
      <p>
        Someone signed in to your account asked to change its email address to <strong>{newEmail}</strong>.
      </p>
      <p class="muted">
        If it was not you, we will cancel the change and sign out every device. Then choose a new password: someone may
        know the current one.
      </p>
      <form method="post" action={`/account/email/report/${token}`} class="stack">
        <CsrfField token={ctx.csrfToken} />
        <button class="button button-block" type="submit">
          This was not me: cancel the change
        </button>
      </form>
    </AuthCard>
  );
}
