import { Field, FormMessage } from '../../../core/views/components.tsx';
import type { FormState } from '../../../core/http/forms.ts';
import type { PageContext } from '../../../core/views/context.ts';
import { CardPage, PostForm } from '../../../core/views/forms.tsx';
import { Layout } from '../../../core/views/layout.tsx';
import { CurrentPasswordField, NewPasswordField } from '../password-fields.tsx';
import { LockedNotice } from './lockout-views.tsx';

export function HomePage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Supplier invoices, approved and paid">
      <section class="hero">
        <div>
          <p class="eyebrow">For finance teams</p>
          <h1>Supplier invoices, approved and paid — with every step on record.</h1>
          <p class="lead">
            Collect invoices, route them through approval, batch them into payouts, and always be able to answer “who
            did what, when, and why”.
          </p>
          <p class="hero-actions">
            <a class="button button-large" href="/signup">
              Create your organization
            </a>
            <a class="button button-ghost button-large" href="/login">
              Sign in
            </a>
          </p>
        </div>
        <ul class="features">
          <li>
            <strong>Approval rules you can trust</strong>
            <span>Limits, two-person approval and a full history for every invoice.</span>
          </li>
          <li>
            <strong>Separated by organization</strong>
            <span>Each team’s data is isolated by the application and by the database itself.</span>
          </li>
          <li>
            <strong>An audit trail</strong>
            <span>Every change records who made it, from where, and what changed.</span>
          </li>
        </ul>
      </section>
    </Layout>
  );
}

/** Set when the person signs up from an invitation: they join that org instead of creating one. */
export type SignUpInvitation = { token: string; orgName: string; role: string; email: string };

export function SignUpPage({
  ctx,
  form,
  invitation,
}: {
  ctx: PageContext;
  form: FormState;
  invitation?: SignUpInvitation;
}) {
  const values = invitation ? { ...form, values: { ...form.values, email: invitation.email } } : form;
  return (
    <CardPage
      ctx={ctx}
      title={invitation ? `Join ${invitation.orgName}` : 'Create your account'}
      intro={
        invitation
          ? `Create your account to accept the invitation. You will join ${invitation.orgName} as ${invitation.role}.`
          : 'You will be the owner of a new organization. You can invite your team afterwards.'
      }
      form={form}
    >
      <PostForm action="/signup" csrfToken={ctx.csrfToken} class="stack" novalidate>
        {invitation && <input type="hidden" name="invitation" value={invitation.token} />}
        <Field form={values} name="name" label="Your name" autocomplete="name" required maxLength={200} />
        <Field
          form={values}
          name="email"
          label="Work email"
          type="email"
          autocomplete="email"
          required
          maxLength={254}
          readOnly={Boolean(invitation)}
          hint={invitation ? 'The invitation is for this address.' : undefined}
        />
        <NewPasswordField form={values} label="Password" />
        {!invitation && (
          <Field
            form={values}
            name="organization"
            label="Organization name"
            autocomplete="organization"
            required
            maxLength={200}
            hint="Usually your company’s name."
          />
        )}
        <button class="button button-block" type="submit">
          {invitation ? 'Create account and join' : 'Create account'}
        </button>
      </PostForm>
      <p class="muted small center">
        Already have an account?{' '}
        <a href={invitation ? `/login?next=${encodeURIComponent(`/invitations/${invitation.token}`)}` : '/login'}>
          Sign in
        </a>
      </p>
    </CardPage>
  );
}

export function LogInPage({
  ctx,
  form,
  next,
  locked,
}: {
  ctx: PageContext;
  form: FormState;
  next: string | null;
  locked?: Date | null;
}) {
  return (
    <CardPage ctx={ctx} title="Sign in">
      {locked ? <LockedNotice until={locked} /> : <FormMessage form={form} />}
      <PostForm
        action={next ? `/login?next=${encodeURIComponent(next)}` : '/login'}
        csrfToken={ctx.csrfToken}
        class="stack"
        novalidate
      >
        <Field form={form} name="email" label="Email" type="email" autocomplete="username" required />
        <CurrentPasswordField form={form} name="password" label="Password" />
        <p class="small">
          <a href="/password/forgot">Forgot your password?</a>
        </p>
        <button class="button button-block" type="submit">
          Sign in
        </button>
      </PostForm>
      <p class="muted small center">
        New to Ledgerworks? <a href="/signup">Create an account</a>
      </p>
    </CardPage>
  );
}
