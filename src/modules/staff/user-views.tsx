// A person's page in the back-office: the account's facts, their orgs, live sessions,
// impersonations and history, and what staff may do to the account (user-actions-views.tsx).
import { StaffLayout } from '../../core/admin/layout.tsx';
import { OrgLink, When } from '../../core/admin/cells.tsx';
import { AuditHistory, Facts as FactList } from '../../core/admin/record-page.tsx';
import type { Fact } from '../../core/admin/record-types.ts';
import type { FormState } from '../../core/http/forms.ts';
import { STAFF_ROLE_LABELS, type StaffRole } from '../../core/http/staff-access.ts';
import { Badge, Card, PageHeader } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import type { AccountFacts } from '../accounts/service.ts';
import { UserActions } from './user-actions-views.tsx';
import { STAFF_NAV } from './views.tsx';

export type UserForms = { revoke?: FormState; disable?: FormState };

function stateBadge(u: AccountFacts['user']) {
  if (u.deactivated_at) return <Badge tone="red">Deleted by its owner</Badge>;
  if (!u.is_active) return <Badge tone="red">Disabled</Badge>;
  if (u.locked) return <Badge tone="amber">Locked</Badge>;
  return <Badge tone="green">Active</Badge>;
}

function Facts({ facts, zone }: { facts: AccountFacts; zone: string }) {
  const u = facts.user;
  const rows: Fact[] = [
    ['Account', stateBadge(u)],
    ['Email', u.email],
    ['Staff role', u.staff_role ? STAFF_ROLE_LABELS[u.staff_role] : 'none'],
    [
      'Two-factor',
      u.totp_enabled_at ? (
        <>
          on since <When value={u.totp_enabled_at} zone={zone} />
        </>
      ) : (
        'off'
      ),
    ],
    ['Failed sign-ins in a row', String(u.failed_logins)],
    ['Locked until', u.locked ? <When value={u.locked_until} zone={zone} /> : 'not locked'],
    ['Locks so far', String(u.lockouts)],
    ['Time zone', u.time_zone],
    ['Signed up', <When value={u.created_at} zone={zone} />],
    ['Id', <code>{u.id}</code>],
  ];
  return <FactList facts={rows} />;
}

export function UserPage(props: { ctx: PageContext; facts: AccountFacts; role: StaffRole; forms?: UserForms }) {
  const { ctx, facts } = props;
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  return (
    <StaffLayout ctx={ctx} title={facts.user.name} nav={STAFF_NAV}>
      <PageHeader title={facts.user.name} subtitle={`${facts.user.email} · opening this page is recorded`} />
      <div class="grid-2">
        <Card title="Account">
          <Facts facts={facts} zone={zone} />
        </Card>
        <Card title="What you can do">
          <UserActions ctx={ctx} facts={facts} role={props.role} forms={props.forms ?? {}} />
        </Card>
      </div>
      <Card title="Organizations">
        <DataTable
          caption="Organizations"
          rows={facts.orgs}
          empty={{ title: 'No organization', children: 'This person belongs to no organization.' }}
          columns={[
            { header: 'Organization', cell: (o) => <OrgLink slug={o.slug} name={o.name} /> },
            { header: 'Role', cell: (o) => o.role },
            { header: 'Support access', cell: (o) => (o.support_access === 'grant' ? 'asks first' : 'open') },
            { header: 'Member since', cell: (o) => <When value={o.created_at} zone={zone} /> },
          ]}
        />
      </Card>
      <Card title="Signed-in devices">
        <DataTable
          caption="Live sessions"
          rows={facts.sessions}
          empty={{ title: 'Not signed in anywhere' }}
          columns={[
            {
              header: 'Device',
              cell: (s) => (
                <>
                  {s.device}
                  {s.impersonation_id && <Badge tone="amber">impersonation</Badge>}
                </>
              ),
            },
            { header: 'IP', cell: (s) => s.ip ?? '—' },
            { header: 'Signed in', cell: (s) => <When value={s.created_at} zone={zone} /> },
            { header: 'Last seen', cell: (s) => <When value={s.last_seen_at} zone={zone} /> },
          ]}
        />
      </Card>
      <Card title="Impersonations">
        <DataTable
          caption="Impersonations"
          rows={facts.impersonations}
          empty={{ title: 'Nobody from support has signed in as this person' }}
          columns={[
            { header: 'Staff', cell: (i) => i.staff_name },
            { header: 'Reason', cell: (i) => i.reason + (i.allows_changes ? ` (changes: ${i.change_reason})` : '') },
            { header: 'Started', cell: (i) => <When value={i.started_at} zone={zone} /> },
            { header: 'Ended', cell: (i) => (i.ended_at ? <When value={i.ended_at} zone={zone} /> : 'running') },
            { header: 'How', cell: (i) => i.ended_how ?? '—' },
          ]}
        />
      </Card>
      <Card title="History">
        <AuditHistory caption="History of the account" rows={facts.history} zone={zone} />
      </Card>
    </StaffLayout>
  );
}
