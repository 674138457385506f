import { CsrfField, Field, FormMessage } from '../../../core/views/components.tsx';
import type { FormState } from '../../../core/http/forms.ts';
import type { PageContext } from '../../../core/views/context.ts';
import { Layout } from '../../../core/views/layout.tsx';
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
    <Layout ctx={ctx} title={invitation ? `Join ${invitation.orgName}` : 'Create your account'} narrow>
      <section class="card auth-card">
        <h1>{invitation ? `Join ${invitation.orgName}` : 'Create your account'}</h1>
        <p class="muted">
          {invitation
            ? `Create your account to accept the invitation. You will join ${invitation.orgName} as ${invitation.role}.`
            : 'You will be the owner of a new organization. You can invite your team afterwards.'}
        </p>
        <FormMessage form={form} />
        <form method="post" action="/signup" class="stack" novalidate>
          <CsrfField token={ctx.csrfToken} />
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
          <Field
            form={values}
            name="password"
            label="Password"
            type="password"
            autocomplete="new-password"
            required
            minLength={10}
            hint="At least 10 characters. A short sentence works well."
          />
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
        </form>
        <p class="muted small center">
          Already have an account?{' '}
          <a href={invitation ? `/login?next=${encodeURIComponent(`/invitations/${invitation.token}`)}` : '/login'}>
            Sign in
          </a>
        </p>
      </section>
    </Layout>
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
    <Layout ctx={ctx} title="Sign in" narrow>
      <section class="card auth-card">
        <h1>Sign in</h1>
        {locked ? <LockedNotice until={locked} /> : <FormMessage form={form} />}
        <form
          method="post"
          action={next ? `/login?next=${encodeURIComponent(next)}` : '/login'}
          class="stack"
          novalidate
        >
          <CsrfField token={ctx.csrfToken} />
          <Field form={form} name="email" label="Email" type="email" autocomplete="username" required />
          <Field
            form={form}
            name="password"
            label="Password"
            type="password"
            autocomplete="current-password"
            required
          />
          <p class="small">
            <a href="/password/forgot">Forgot your password?</a>
          </p>
          <button class="button button-block" type="submit">
            Sign in
          </button>
        </form>
        <p class="muted small center">
          New to Ledgerworks? <a href="/signup">Create an account</a>
        </p>
      </section>
    </Layout>
  );
}
