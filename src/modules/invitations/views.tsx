import { ROLE_DESCRIPTIONS, type Role } from '../../core/roles.ts';
import type { FormState } from '../../core/http/forms.ts';
import { Badge, Card, EmptyState, Field, FormMessage, SelectField, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { FormActions, PostButton, PostForm } from '../../core/views/forms.tsx';
import { Layout } from '../../core/views/layout.tsx';
import { Page } from '../../core/views/page.tsx';
import { StatusBadge, type StatusKind } from '../../core/views/status-badge.tsx';
import { orgPaths } from '../orgs/service.ts';
import { invitationPaths } from './paths.ts';
import type { InvitationView } from './service.ts';

/** A pending invitation: its link still works, or it ran out. */
const INVITATION_STATUS: StatusKind<'waiting' | 'expired'> = {
  waiting: { label: 'Waiting', tone: 'amber' },
  expired: { label: 'Expired', tone: 'red' },
};

type Pending = {
  id: string;
  email: string;
  role: Role;
  created_at: Date;
  expires_at: Date;
  last_sent_at: Date;
  send_count: number;
  invited_by_name: string | null;
  expired: boolean;
};

export function InvitationsPage({
  ctx,
  form,
  pending,
  invitable,
}: {
  ctx: PageContext;
  form: FormState;
  pending: Pending[];
  /** The roles the viewer may invite as (the policy's record rule). */
  invitable: readonly Role[];
}) {
  const slug = ctx.org?.slug ?? '';
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const roles = invitable.map((r) => ({
    value: r,
    label: `${r} — ${ROLE_DESCRIPTIONS[r]}`,
  }));
  return (
    <Page
      ctx={ctx}
      title="Invitations"
      heading="Invite people"
      subtitle={`They get an email with a link that works once, for 7 days, and only for the address you enter.`}
      actions={
        <a class="button button-ghost" href={orgPaths.members(slug)}>
          Back to members
        </a>
      }
    >
      <div class="grid-2 grid-2-wide">
        <Card title="New invitation">
          <FormMessage form={form} />
          <PostForm action={invitationPaths.list(slug)} csrfToken={ctx.csrfToken} class="stack" novalidate>
            <Field
              form={form}
              name="email"
              label="Email address"
              type="email"
              autocomplete="off"
              required
              maxLength={254}
            />
            <SelectField
              form={{ ...form, values: { role: 'member', ...form.values } }}
              name="role"
              label="Role"
              options={roles}
            />
            <FormActions submit="Send invitation" />
          </PostForm>
        </Card>
        <Card title={`Pending (${pending.length})`}>
          {pending.length === 0 ? (
            <EmptyState title="No pending invitations">
              Invitations you send appear here until they are accepted, declined or revoked.
            </EmptyState>
          ) : (
            <ul class="invitation-list">
              {pending.map((i) => (
                <li id={`invitation-${i.id}`}>
                  <div class="invitation-main">
                    <strong>{i.email}</strong> <Badge>{i.role}</Badge>{' '}
                    <StatusBadge kind={INVITATION_STATUS} status={i.expired ? 'expired' : 'waiting'} />
                    <div class="muted small">
                      {i.invited_by_name ? `Invited by ${i.invited_by_name}` : 'Invited'} · sent {i.send_count}× · last{' '}
                      <Time value={i.last_sent_at} zone={zone} /> · {i.expired ? 'expired' : 'expires'}{' '}
                      <Time value={i.expires_at} zone={zone} />
                    </div>
                  </div>
                  <div class="invitation-actions">
                    <PostButton
                      action={invitationPaths.action(slug, i.id, 'resend')}
                      csrfToken={ctx.csrfToken}
                      buttonClass="button button-ghost button-small"
                      label="Resend"
                    />
                    <PostButton
                      action={invitationPaths.action(slug, i.id, 'revoke')}
                      csrfToken={ctx.csrfToken}
                      confirm={`Revoke the invitation for ${i.email}? The link stops working.`}
                      buttonClass="button button-danger-ghost button-small"
                      label="Revoke"
                    />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </Page>
  );
}

const CLOSED: Record<Exclude<InvitationView['state'], 'open'>, string> = {
  accepted: 'This invitation has already been accepted.',
  declined: 'This invitation was declined.',
  revoked: 'This invitation was revoked by the organization.',
  expired: 'This invitation has expired.',
};

/** The page an invitation link opens: what it is, and what the visitor can do with it from where they stand. */
export function InvitationPage({
  ctx,
  inv,
  token,
  notice,
}: {
  ctx: PageContext;
  inv: InvitationView;
  token: string;
  notice?: string;
}) {
  const viewer = ctx.viewer;
  const here = invitationPaths.link(token);
  const isMember = viewer?.orgs.some((o) => o.id === inv.orgId) ?? false;
  return (
    <Layout ctx={ctx} title={`Invitation to ${inv.orgName}`} narrow>
      <section class="card auth-card invitation-card">
        <p class="eyebrow">Invitation</p>
        <h1>Join {inv.orgName}</h1>
        {notice && (
          <div class="flash flash-error" role="alert">
            {notice}
          </div>
        )}
        <p>
          {inv.invitedBy ?? 'Someone'} invited <strong>{inv.email}</strong> to join <strong>{inv.orgName}</strong> as{' '}
          <Badge>{inv.role}</Badge>.
        </p>
        {inv.state !== 'open' ? (
          <>
            <p class="muted">
              {CLOSED[inv.state]}{' '}
              {inv.state === 'expired' || inv.state === 'revoked'
                ? 'Ask the person who invited you for a new invitation.'
                : ''}
            </p>
            {isMember && (
              <a class="button" href={orgPaths.home(inv.orgSlug)}>
                Open {inv.orgName}
              </a>
            )}
          </>
        ) : isMember ? (
          <p>
            You are already a member. <a href={orgPaths.home(inv.orgSlug)}>Open {inv.orgName}</a>
          </p>
        ) : !viewer ? (
          <>
            <p class="muted">Create your account with this address, or sign in if you already have one.</p>
            <div class="stack">
              <a class="button button-block" href={`/signup?invitation=${encodeURIComponent(token)}`}>
                Create an account and join
              </a>
              <a class="button button-ghost button-block" href={`/login?next=${encodeURIComponent(here)}`}>
                I already have an account — sign in
              </a>
            </div>
            <DeclineForm ctx={ctx} token={token} />
          </>
        ) : viewer.email !== inv.email ? (
          <>
            <div class="callout" role="note">
              <p>
                <strong>This invitation is for {inv.email}</strong>, but you are signed in as{' '}
                <strong>{viewer.email}</strong>.
              </p>
              <p class="muted small">
                To accept it, sign out and continue as {inv.email}. Nothing is joined until you do.
              </p>
            </div>
            <PostForm action="/logout" csrfToken={ctx.csrfToken} class="stack">
              <input type="hidden" name="next" value={here} />
              <button class="button button-block" type="submit">
                Sign out and continue as {inv.email}
              </button>
            </PostForm>
            <DeclineForm ctx={ctx} token={token} />
          </>
        ) : (
          <>
            <p class="muted">
              Accept before <Time value={inv.expiresAt} zone={viewer.timeZone} />.
            </p>
            <PostButton
              action={invitationPaths.answer(token, 'accept')}
              csrfToken={ctx.csrfToken}
              class="stack"
              buttonClass="button button-block"
              label={`Accept and join ${inv.orgName}`}
            />
            <DeclineForm ctx={ctx} token={token} />
          </>
        )}
      </section>
    </Layout>
  );
}

function DeclineForm({ ctx, token }: { ctx: PageContext; token: string }) {
  return (
    <PostButton
      action={invitationPaths.answer(token, 'decline')}
      csrfToken={ctx.csrfToken}
      class="decline-form"
      confirm="Decline this invitation? The link stops working."
      buttonClass="button button-ghost button-block"
      label="Decline the invitation"
    />
  );
}

export function InvitationMessagePage({
  ctx,
  title,
  text,
  status,
}: {
  ctx: PageContext;
  title: string;
  text: string;
  status?: string;
}) {
  return (
    <Layout ctx={ctx} title={title} narrow>
      <section class="card auth-card">
        {status && <p class="eyebrow">{status}</p>}
        <h1>{title}</h1>
        <p class="muted">{text}</p>
        <a class="button button-ghost" href="/">
          Go to Ledgerworks
        </a>
      </section>
    </Layout>
  );
}
