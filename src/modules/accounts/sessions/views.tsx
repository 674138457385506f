// The signed-in devices page, with the account's recent security activity.
import { Badge, Card, EmptyState, Time } from '../../../core/views/components.tsx';
import type { PageContext } from '../../../core/views/context.ts';
import { PostButton } from '../../../core/views/forms.tsx';
import { Page } from '../../../core/views/page.tsx';
import type { SecurityEvent, SessionRow } from './devices.ts';
import { BACK_TO_ACCOUNT } from '../settings/back-to-account.tsx';

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
  'impersonation.started': 'Ledgerworks support signed in as you',
  'impersonation.stopped': 'Ledgerworks support signed out of your account',
  'account.viewed_by_staff': 'Ledgerworks support looked at your account',
  'account.unlocked': 'Ledgerworks support unlocked your account',
  'account.all_sessions_revoked': 'Ledgerworks support signed out all your devices',
  'account.disabled': 'Ledgerworks support disabled your account',
  'account.enabled': 'Ledgerworks support enabled your account again',
};

const WARNINGS = new Set(['account.login_failed', 'account.locked', 'impersonation.started']);

function SecurityActivity({ events, zone }: { events: SecurityEvent[]; zone: string }) {
  if (events.length === 0) return <EmptyState title="Nothing recorded yet" />;
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li class={WARNINGS.has(e.action) ? 'timeline-warn' : undefined}>
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
    <Page
      ctx={ctx}
      title="Signed-in devices"
      subtitle="Every browser where your account is signed in right now."
      back={BACK_TO_ACCOUNT}
      actions={
        others > 0 && (
          <PostButton
            action="/account/sessions/others/revoke"
            csrfToken={ctx.csrfToken}
            buttonClass="button button-ghost"
            label="Sign out everywhere else"
          />
        )
      }
    >
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
                  <PostButton
                    action={`/account/sessions/${s.publicId}/revoke`}
                    csrfToken={ctx.csrfToken}
                    buttonClass="button button-ghost button-small"
                    label="Sign out this session"
                  />
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
    </Page>
  );
}
