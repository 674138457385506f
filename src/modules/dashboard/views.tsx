import type { ComponentChildren } from 'preact';
import type { AuditChanges } from '../../core/audit/audit.ts';
import type { Role } from '../../core/roles.ts';
import { formatMoney } from '../../core/money.ts';
import { BarList, ColumnChart } from '../../core/views/charts.tsx';
import { Badge, Card, EmptyState, formatMonth, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { initials } from '../../core/views/layout.tsx';
import { Page } from '../../core/views/page.tsx';
import type { FinanceSummary } from '../invoices/service.ts';
import { invoicePaths } from '../invoices/service.ts';
import { orgPaths, type AuditEntry as AuditRow } from '../orgs/service.ts';
import { payoutPaths } from '../payouts/service.ts';
import { vendorPaths } from '../vendors/service.ts';

type Member = { id: string; name: string; email: string; role: Role; created_at: Date; two_factor: boolean };
export function DashboardPage(props: {
  ctx: PageContext;
  memberCount: number;
  members: Member[];
  activity: AuditRow[] | null;
  finance: FinanceSummary;
}) {
  const { ctx, finance } = props;
  const org = ctx.org;
  const viewer = ctx.viewer;
  if (!org || !viewer) throw new Error('dashboard needs an org and a viewer');
  const firstName = viewer.name.split(/\s+/)[0] ?? viewer.name;
  const slug = org.slug;
  const money = (minor: string) => formatMoney(minor, finance.currency, finance.minorUnits);
  const months = finance.spendByMonth.map((m) => ({
    label: formatMonth(m.month, 'short'),
    value: Number(m.total),
    display: money(m.total),
  }));
  const vendors = finance.spendByVendor.map((v) => ({
    label: v.name,
    value: Number(v.total),
    display: money(v.total),
    href: vendorPaths.detail(slug, v.id),
  }));
  const a = finance.attention;
  const attention: { text: ComponentChildren; href: string; n: number }[] = [
    ...(finance.canApprove
      ? [
          {
            text: 'Invoices waiting for your approval',
            href: invoicePaths.list(slug, { mine: '1', status: 'submitted' }),
            n: a.waitingForMe,
          },
        ]
      : []),
    { text: 'Your drafts, not yet submitted', href: invoicePaths.list(slug, { status: 'draft' }), n: a.drafts },
    {
      text: 'Your invoices rejected in the last 30 days',
      href: invoicePaths.list(slug, { status: 'rejected' }),
      n: a.rejected,
    },
    { text: 'Unpaid invoices past their due date', href: invoicePaths.list(slug, { sort: 'due' }), n: a.overdue },
  ];
  return (
    <Page
      ctx={ctx}
      title={`${org.name} dashboard`}
      heading={`Good to see you, ${firstName}`}
      subtitle={`${org.name} · you are ${article(org.role)} ${org.role}`}
    >
      <div class="stats">
        <div class="stat">
          <span class="stat-label">Waiting for approval</span>
          <MoneyList totals={finance.awaitingApproval} empty="Nothing waiting" />
          <a class="small" href={invoicePaths.list(slug, { status: 'submitted' })}>
            Open the queue →
          </a>
        </div>
        <div class="stat">
          <span class="stat-label">Approved, not paid yet</span>
          <MoneyList totals={finance.approvedUnpaid} empty="Nothing to pay" />
          <a class="small" href={payoutPaths.list(slug)}>
            Payouts →
          </a>
        </div>
        <div class="stat">
          <span class="stat-label">Needs you</span>
          <span class="stat-value">{finance.canApprove ? a.waitingForMe : a.drafts}</span>
          <span class="small muted">
            {finance.canApprove ? 'invoices you can approve now' : 'drafts to finish and submit'}
          </span>
        </div>
      </div>
      <div class="grid-2">
        <Card title="What needs attention">
          <ul class="attention">
            {attention.map((item) => (
              <li>
                <a href={item.href}>{item.text}</a>
                <Badge tone={item.n > 0 ? 'amber' : 'neutral'}>{item.n}</Badge>
              </li>
            ))}
          </ul>
        </Card>
        <Card title={`Unpaid invoices by age (${finance.currency})`}>
          <div class="aging">
            {finance.aging.map((b) => (
              <div class={b.bucket !== 'current' && b.count > 0 ? 'aging-bucket aging-late' : 'aging-bucket'}>
                <span class="small">{b.bucket === 'current' ? 'Not yet due' : `${b.bucket} days late`}</span>
                <strong>{money(b.total)}</strong>
                <span class="small">
                  {b.count} invoice{b.count === 1 ? '' : 's'}
                </span>
              </div>
            ))}
          </div>
        </Card>
      </div>
      <div class="grid-2">
        <Card title={`Spend by month (${finance.currency}, approved and paid)`}>
          {months.some((m) => m.value > 0) ? (
            <ColumnChart title={`Spend per month in ${finance.currency}`} points={months} />
          ) : (
            <EmptyState title="No approved spend in the last 12 months" />
          )}
        </Card>
        <Card title={`Top vendors, last 12 months (${finance.currency})`}>
          {vendors.length ? (
            <BarList title={`Spend per vendor in ${finance.currency}`} points={vendors} />
          ) : (
            <EmptyState title="No approved spend yet" />
          )}
        </Card>
      </div>
      <div class="grid-2">
        <Card
          title="People"
          actions={
            <a class="small" href={orgPaths.members(slug)}>
              All {props.memberCount} members
            </a>
          }
        >
          <MemberList members={props.members} />
        </Card>
        {props.activity ? (
          <Card
            title="Recent activity"
            actions={
              <a class="small" href={orgPaths.activity(slug)}>
                Full history
              </a>
            }
          >
            <ActivityList entries={props.activity} zone={viewer.timeZone} />
          </Card>
        ) : (
          <Card title="Recent activity">
            <p class="muted">Owners and admins see the organization’s activity here.</p>
          </Card>
        )}
      </div>
    </Page>
  );
}

function MoneyList({ totals, empty }: { totals: FinanceSummary['awaitingApproval']; empty: string }) {
  if (totals.length === 0) return <span class="stat-empty muted">{empty}</span>;
  return (
    <ul class="money-list">
      {totals.map((t) => (
        <li>
          <span class="stat-value">{formatMoney(t.total, t.currency, t.minor_units)}</span>{' '}
          <span class="small muted">
            {t.count} invoice{t.count === 1 ? '' : 's'}
          </span>
        </li>
      ))}
    </ul>
  );
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function MemberList({ members }: { members: Member[] }) {
  return (
    <ul class="people">
      {members.map((m) => (
        <li>
          <span class="avatar" aria-hidden="true">
            {initials(m.name)}
          </span>
          <span class="people-main">
            <strong>{m.name}</strong>
            <span class="muted small">{m.email}</span>
          </span>
          <Badge tone={m.role === 'owner' ? 'blue' : 'neutral'}>{m.role}</Badge>
        </li>
      ))}
    </ul>
  );
}

const ACTION_LABELS: Record<string, string> = {
  'org.created': 'created the organization',
  'org.settings_changed': 'changed the settings',
  'org.billing_email_changed': 'changed the billing email',
  'member.added': 'added a member',
  'member.joined': 'joined',
  'member.role_changed': 'changed a member’s role',
  'member.removed': 'removed a member',
  'member.left': 'left the organization',
  'invitation.created': 'sent an invitation',
  'invitation.resent': 'resent an invitation',
  'invitation.revoked': 'revoked an invitation',
  'invitation.accepted': 'accepted an invitation',
  'invitation.declined': 'declined an invitation',
  'staff.viewed': 'opened a record in the back-office',
  'staff.exported': 'exported data from the back-office',
  'impersonation.started': 'signed in as a member',
  'impersonation.stopped': 'stopped signing in as a member',
};

/** The person an entry is about, when its changes name one. */
function emailOf(changes: AuditChanges): string | null {
  return typeof changes.email === 'string' ? changes.email : null;
}

function describe(action: string): string {
  return ACTION_LABELS[action] ?? action.replace(/[._]/g, ' ');
}

function ActivityList({ entries, zone }: { entries: AuditRow[]; zone: string }) {
  if (entries.length === 0) return <EmptyState title="Nothing has happened yet" />;
  return (
    <ol class="timeline">
      {entries.map((e) => (
        <li>
          <span class="timeline-who">
            {e.actor_name ?? (e.action === 'invitation.declined' ? emailOf(e.changes) : null) ?? 'System'}
          </span>{' '}
          {e.actor_is_staff && <span class="muted">(Ledgerworks support) </span>}
          {describe(e.action)}
          {e.action !== 'invitation.declined' && emailOf(e.changes) && (
            <span class="muted"> · {emailOf(e.changes)}</span>
          )}
          <span class="muted small timeline-when">
            <Time value={e.created_at} zone={zone} />
          </span>
        </li>
      ))}
    </ol>
  );
}
