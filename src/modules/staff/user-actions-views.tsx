// What staff may do to a person's account, each showing what will happen before it does. The
// destructive ones ask for the account's email, typed; disabling asks for the reason too.
import type { FormState } from '../../core/http/forms.ts';
import { staffMay, type StaffRole } from '../../core/http/staff-access.ts';
import { Field, FormMessage } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { FormActions, PostButton, PostForm } from '../../core/views/forms.tsx';
import type { AccountFacts } from '../accounts/service.ts';
import { staffPaths } from './paths.ts';

const empty: FormState = { values: {}, errors: {} };

export function UserActions(props: {
  ctx: PageContext;
  facts: AccountFacts;
  role: StaffRole;
  forms: { revoke?: FormState; disable?: FormState };
}) {
  const { ctx, facts, role } = props;
  const u = facts.user;
  const token = ctx.csrfToken;
  if (u.staff_role)
    return <p class="muted">A staff account: manage it on the back-office home or with `ledgerworks staff`.</p>;
  const support = staffMay(role, 'staff:support');
  const superuser = staffMay(role, 'staff:superuser');
  if (!support) return <p class="muted">Your role (operator) reads accounts; support and superusers act on them.</p>;
  const live = facts.sessions.filter((s) => !s.impersonation_id).length;
  return (
    <div class="stack">
      {u.is_active && (
        <p>
          <a class="button" href={staffPaths.impersonate(u.id)}>
            Sign in as {u.name}…
          </a>
        </p>
      )}
      {(u.locked || u.failed_logins > 0) && (
        <div>
          <p class="small">
            {u.locked ? 'Locked after failed sign-ins.' : `${u.failed_logins} failed sign-ins in a row.`} Unlocking
            clears the lock and the count.
          </p>
          <PostButton action={staffPaths.userAction(u.id, 'unlock')} csrfToken={token} label="Unlock the account" />
        </div>
      )}
      {u.is_active && (
        <div>
          <p class="small">Mails {u.email} a single-use reset link (1 hour), as "forgot password" does.</p>
          <PostButton
            action={staffPaths.userAction(u.id, 'send-reset')}
            csrfToken={token}
            label="Send a password reset link"
            buttonClass="button button-ghost"
          />
        </div>
      )}
      <div>
        <p class="small">
          Signs out {live === 1 ? 'the one device' : `all ${live} devices`} signed in now. Type the email to confirm.
        </p>
        <FormMessage form={props.forms.revoke ?? empty} />
        <PostForm action={staffPaths.userAction(u.id, 'revoke-sessions')} csrfToken={token} class="stack" novalidate>
          <Field form={props.forms.revoke ?? empty} name="confirm" label="Email of the account" maxLength={320} />
          <FormActions submit="Sign out everywhere" submitClass="button button-danger" />
        </PostForm>
      </div>
      {superuser && u.is_active && (
        <div>
          <p class="small">
            Disabling stops every sign-in and signs out every device until a superuser enables it again. Give the reason
            and type the email to confirm.
          </p>
          <FormMessage form={props.forms.disable ?? empty} />
          <PostForm action={staffPaths.userAction(u.id, 'disable')} csrfToken={token} class="stack" novalidate>
            <Field form={props.forms.disable ?? empty} name="reason" label="Reason" required maxLength={200} />
            <Field form={props.forms.disable ?? empty} name="confirm" label="Email of the account" maxLength={320} />
            <FormActions submit="Disable the account" submitClass="button button-danger" />
          </PostForm>
        </div>
      )}
      {superuser && !u.is_active && !u.deactivated_at && (
        <div>
          <FormMessage form={props.forms.disable ?? empty} />
          <PostForm action={staffPaths.userAction(u.id, 'enable')} csrfToken={token} class="stack" novalidate>
            <Field form={props.forms.disable ?? empty} name="reason" label="Reason" required maxLength={200} />
            <FormActions submit="Enable the account" />
          </PostForm>
        </div>
      )}
    </div>
  );
}
