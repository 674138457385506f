import type { ComponentChildren } from 'preact';
import type { FormState } from '../../core/http/forms.ts';
import {
  Badge,
  Card,
  CsrfField,
  EmptyState,
  Field,
  FormMessage,
  PageHeader,
  Time,
} from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';
import { NOTIFICATION_DELIVERIES } from '../../core/db/schema.ts';
import { DELIVERY_LABELS, KIND_LABELS, NOTIFICATION_KINDS } from '../notifications/service.ts';
import type { SecurityEvent, SessionRow } from './account-settings.ts';

// Pages of the signed-out account flows (password reset, email links) and of /account.

function AuthCard(props: { ctx: PageContext; title: string; children: ComponentChildren }) {
  return (
    <Layout ctx={props.ctx} title={props.title} narrow>
      <section class="card auth-card">
        <h1>{props.title}</h1>
        {props.children}
      </section>
    </Layout>
  );
}

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

/** An emailed link that cannot be used (unknown, used or expired), with the way forward. */
export function DeadLinkPage({
  ctx,
  title,
  message,
  action,
}: {
  ctx: PageContext;
  title: string;
  message: string;
  action: { href: string; label: string };
}) {
  return (
    <AuthCard ctx={ctx} title={title}>
      <p>{message}</p>
      <p>
        <a class="button" href={action.href}>
          {action.label}
        </a>
      </p>
    </AuthCard>
  );
}

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

type Overview = { name: string; email: string; timeZone: string; passwordChangedAt: Date | null; twoFactor: boolean };

export function AccountPage(props: {
  ctx: PageContext;
  overview: Overview;
  profileForm: FormState;
  emailForm: FormState;
  zones: string[];
}) {
  const { ctx, overview } = props;
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  return (
    <Layout ctx={ctx} title="Account settings">
      <PageHeader
        title="Account settings"
        subtitle="Your sign-in details and how Ledgerworks shows things to you, in every organization."
      />
      <div class="grid-2 account-grid">
        <Card title="Profile">
          <FormMessage form={props.profileForm} />
          <form method="post" action="/account/profile" class="stack" novalidate>
            <CsrfField token={ctx.csrfToken} />
            <Field form={props.profileForm} name="name" label="Name" autocomplete="name" required maxLength={200} />
            <TimeZoneField form={props.profileForm} zones={props.zones} />
            <div class="form-actions">
              <button class="button" type="submit">
                Save profile
              </button>
            </div>
          </form>
        </Card>
        <Card title="Email address">
          <p>
            You sign in with <strong>{overview.email}</strong>.
          </p>
          <FormMessage form={props.emailForm} />
          <form method="post" action="/account/email" class="stack" novalidate>
            <CsrfField token={ctx.csrfToken} />
            <Field
              form={props.emailForm}
              name="new_email"
              label="New email address"
              type="email"
              autocomplete="email"
              required
              maxLength={254}
              hint="We send a confirmation link there. Nothing changes until you open it."
            />
            <Field
              form={props.emailForm}
              name="current_password"
              label="Current password"
              type="password"
              autocomplete="current-password"
              required
            />
            <div class="form-actions">
              <button class="button" type="submit">
                Change email
              </button>
            </div>
          </form>
        </Card>
      </div>
      <ul class="account-links">
        <LinkCard href="/account/password" title="Password">
          {overview.passwordChangedAt ? (
            <>
              Last changed <Time value={overview.passwordChangedAt} zone={zone} />.
            </>
          ) : (
            'Change the password you sign in with.'
          )}
        </LinkCard>
        <LinkCard href="/account/two-factor" title="Two-factor authentication">
          {overview.twoFactor ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>} A code from an app on your phone at
          every sign-in.
        </LinkCard>
        <LinkCard href="/account/notifications" title="Notifications">
          Which emails you get about invoices and payouts: at once, in a daily digest, or not at all.
        </LinkCard>
        <LinkCard href="/account/sessions" title="Signed-in devices">
          See where you are signed in, and sign out devices you do not recognise.
        </LinkCard>
        <LinkCard href="/account/delete" title="Delete account">
          Leave your organizations and close this account.
        </LinkCard>
      </ul>
    </Layout>
  );
}

function LinkCard(props: { href: string; title: string; children: ComponentChildren }) {
  return (
    <li>
      <a class="org-card account-link" href={props.href}>
        <span class="account-link-main">
          <span class="org-card-name">{props.title}</span>
          <span class="muted small">{props.children}</span>
        </span>
        <span aria-hidden="true">›</span>
      </a>
    </li>
  );
}

function TimeZoneField({ form, zones }: { form: FormState; zones: string[] }) {
  const error = form.errors.time_zone;
  const selected = form.values.time_zone ?? 'UTC';
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for="f-time_zone">Time zone</label>
      <select
        id="f-time_zone"
        name="time_zone"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'f-time_zone-error f-time_zone-hint' : 'f-time_zone-hint'}
      >
        {zones.map((z) => (
          <option value={z} selected={z === selected}>
            {z.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
      <p class="hint" id="f-time_zone-hint">
        Dates and times are shown in this zone.
      </p>
      {error && (
        <p class="field-error" id="f-time_zone-error">
          {error}
        </p>
      )}
    </div>
  );
}

function BackToAccount() {
  return (
    <p class="small">
      <a href="/account">← Account settings</a>
    </p>
  );
}

export function ChangePasswordPage({ ctx, form }: { ctx: PageContext; form: FormState }) {
  return (
    <Layout ctx={ctx} title="Change password" narrow>
      <BackToAccount />
      <section class="card auth-card">
        <h1>Change password</h1>
        <p class="muted">You stay signed in here; every other device is signed out.</p>
        <FormMessage form={form} />
        <form method="post" action="/account/password" class="stack" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <Field
            form={form}
            name="current_password"
            label="Current password"
            type="password"
            autocomplete="current-password"
            required
          />
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
          <div class="form-actions">
            <button class="button" type="submit">
              Change password
            </button>
            <a class="button button-ghost" href="/account">
              Cancel
            </a>
          </div>
        </form>
        <p class="muted small">
          Forgot it? <a href="/password/forgot">Reset it by email</a>.
        </p>
      </section>
    </Layout>
  );
}

const SECURITY_EVENTS: Record<string, string> = {
  'account.signed_up': 'Account created',
  'account.logged_in': 'Signed in',
  'account.logged_out': 'Signed out',
  'account.login_failed': 'Failed sign-in',
  'account.locked': 'Account locked after failed sign-ins',
  'account.password_changed': 'Password changed',
  'account.password_reset_requested': 'Password reset requested',
  'account.password_reset': 'Password reset by email link',
  'account.email_change_requested': 'Email change requested',
  'account.email_changed': 'Email address changed',
  'account.email_change_reported': 'Email change reported as not you',
  'account.profile_updated': 'Profile updated',
  'account.session_revoked': 'A session was signed out',
  'account.other_sessions_revoked': 'Signed out everywhere else',
  'account.two_factor_setup_started': 'Two-factor setup started',
  'account.two_factor_enabled': 'Two-factor authentication turned on',
  'account.two_factor_disabled': 'Two-factor authentication turned off',
  'account.recovery_code_used': 'Recovery code used',
  'account.recovery_codes_regenerated': 'New recovery codes',
};

function SecurityActivity({ events, zone }: { events: SecurityEvent[]; zone: string }) {
  if (events.length === 0) return <EmptyState title="Nothing recorded yet" />;
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li class={e.action === 'account.login_failed' || e.action === 'account.locked' ? 'timeline-warn' : undefined}>
          <span class="timeline-who">{SECURITY_EVENTS[e.action] ?? e.action}</span>
          {e.detail && <span class="muted"> · {e.detail}</span>}
          <span class="muted small timeline-when">
            <Time value={e.createdAt} zone={zone} /> {e.ip && `· ${e.ip}`}
          </span>
        </li>
      ))}
    </ol>
  );
}

export function SessionsPage({
  ctx,
  sessions,
  events,
}: {
  ctx: PageContext;
  sessions: SessionRow[];
  events: SecurityEvent[];
}) {
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const others = sessions.filter((s) => !s.current).length;
  return (
    <Layout ctx={ctx} title="Signed-in devices">
      <BackToAccount />
      <PageHeader
        title="Signed-in devices"
        subtitle="Every browser where your account is signed in right now."
        actions={
          others > 0 && (
            <form method="post" action="/account/sessions/others/revoke">
              <CsrfField token={ctx.csrfToken} />
              <button class="button button-ghost" type="submit">
                Sign out everywhere else
              </button>
            </form>
          )
        }
      />
      <Card>
        {sessions.length === 0 ? (
          <EmptyState title="No signed-in devices" />
        ) : (
          <ul class="people session-list">
            {sessions.map((s) => (
              <li>
                <div class="people-main">
                  <strong>
                    {s.device} {s.current && <Badge tone="blue">This device</Badge>}
                  </strong>
                  <span class="muted small">
                    {s.ip ?? 'Unknown address'} · signed in <Time value={s.createdAt} zone={zone} /> · last seen{' '}
                    <Time value={s.lastSeenAt} zone={zone} />
                  </span>
                </div>
                {!s.current && (
                  <form method="post" action={`/account/sessions/${s.publicId}/revoke`}>
                    <CsrfField token={ctx.csrfToken} />
                    <button class="button button-ghost button-small" type="submit">
                      Sign out this session
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Recent security activity">
        <p class="muted small">If something here was not you, change your password and sign out everywhere else.</p>
        <SecurityActivity events={events} zone={zone} />
      </Card>
    </Layout>
  );
}

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

export function NotificationsPage({ ctx, form }: { ctx: PageContext; form: FormState }) {
  return (
    <Layout ctx={ctx} title="Notifications" narrow>
      <BackToAccount />
      <section class="card">
        <h1>Notifications</h1>
        <p class="muted">
          For each kind of event: an email at once, one daily digest at 07:00 UTC with everything since the last one, or
          nothing. You never get an email about something you did yourself.
        </p>
        <FormMessage form={form} />
        <form method="post" action="/account/notifications" class="stack" novalidate>
          <CsrfField token={ctx.csrfToken} />
          {NOTIFICATION_KINDS.map((kind) => {
            const error = form.errors[kind];
            return (
              <fieldset
                class={error ? 'notification-choice field-invalid' : 'notification-choice'}
                aria-describedby={error ? `f-${kind}-error` : undefined}
              >
                <legend>{KIND_LABELS[kind]}</legend>
                <div class="notification-options">
                  {NOTIFICATION_DELIVERIES.map((d) => (
                    <label class="checkbox">
                      <input type="radio" name={kind} value={d} checked={form.values[kind] === d} />
                      {DELIVERY_LABELS[d]}
                    </label>
                  ))}
                </div>
                {error && (
                  <p class="field-error" id={`f-${kind}-error`}>
                    {error}
                  </p>
                )}
              </fieldset>
            );
          })}
          <div class="form-actions">
            <button class="button" type="submit">
              Save
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
