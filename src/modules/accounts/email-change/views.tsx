// The pages the email change links open: confirm the new address, or report a change one did not ask for.
import type { PageContext } from '../../../core/views/context.ts';
import { CardPage, PostButton } from '../../../core/views/forms.tsx';

export function ConfirmEmailPage({ ctx, token, newEmail }: { ctx: PageContext; token: string; newEmail: string }) {
  return (
    <CardPage ctx={ctx} title="Confirm your new email address">
      <p>
        Use <strong>{newEmail}</strong> to sign in to Ledgerworks and to receive its messages from now on?
      </p>
      <PostButton
        action={`/account/email/confirm/${token}`}
        csrfToken={ctx.csrfToken}
        class="stack"
        buttonClass="button button-block"
        label="Confirm new address"
      />
    </CardPage>
  );
}

export function ReportEmailPage({ ctx, token, newEmail }: { ctx: PageContext; token: string; newEmail: string }) {
  return (
    <CardPage ctx={ctx} title="Did you not ask for this change?">
      <p>
        Someone signed in to your account asked to change its email address to <strong>{newEmail}</strong>.
      </p>
      <p class="muted">
        If it was not you, we will cancel the change and sign out every device. Then choose a new password: someone may
        know the current one.
      </p>
      <PostButton
        action={`/account/email/report/${token}`}
        csrfToken={ctx.csrfToken}
        class="stack"
        buttonClass="button button-block"
        label="This was not me: cancel the change"
      />
    </CardPage>
  );
}
