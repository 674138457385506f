// The page of one record in the back-office: its facts in groups, its related records, and its
// history from the audit log (who, when, what changed, from where, the impersonator if any).
import type { PageContext } from '../views/context.ts';
import { Card, PageHeader } from '../views/components.tsx';
import { DataTable } from '../views/data-table.tsx';
import { BackLink } from '../views/page.tsx';
import { OrgLink, When } from './cells.tsx';
import { StaffLayout, type StaffNavEntry } from './layout.tsx';
import type { AdminList } from './list-types.ts';
import { AdminSideNav, type AdminNavGroup } from './nav.tsx';
import type { HistoryRow } from './records.ts';
import type { Fact, RecordView } from './record-types.ts';

/** Labelled values as a definition list. */
export function Facts({ facts }: { facts: readonly Fact[] }) {
  return (
    <dl class="facts">
      {facts.map(([k, v]) => (
        <div class="fact">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function describeChanges(changes: HistoryRow['changes']): string {
  return Object.entries(changes)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

/** A record's (or a person's) history from the audit log, newest first. */
export function AuditHistory(props: { caption: string; rows: readonly HistoryRow[]; zone: string }) {
  return (
    <DataTable
      caption={props.caption}
      rows={props.rows}
      empty={{ title: 'Nothing recorded yet' }}
      columns={[
        { header: 'When', class: 'nowrap', cell: (h) => <When value={h.created_at} zone={props.zone} /> },
        { header: 'What', cell: (h) => <code>{h.action}</code> },
        {
          header: 'Who',
          cell: (h) => (
            <>
              {h.actor_name ?? 'System'}
              {h.actor_is_staff && <div class="muted small">Ledgerworks staff</div>}
              {h.impersonator_name && <div class="muted small">impersonated by {h.impersonator_name}</div>}
            </>
          ),
        },
        { header: 'Org', cell: (h) => (h.org_slug ? <OrgLink slug={h.org_slug} /> : '—') },
        { header: 'Details', class: 'break small', cell: (h) => describeChanges(h.changes) },
        {
          header: 'From',
          secondary: true,
          class: 'small',
          cell: (h) => (
            <>
              {h.ip ?? '—'}
              {h.request_id && <div class="muted">{h.request_id}</div>}
            </>
          ),
        },
      ]}
    />
  );
}

export function AdminRecordPage(props: {
  ctx: PageContext;
  list: AdminList;
  nav: readonly AdminNavGroup[];
  topNav: readonly StaffNavEntry[];
  record: RecordView;
  history: readonly HistoryRow[];
}) {
  const { record, list } = props;
  const zone = props.ctx.viewer?.timeZone ?? 'UTC';
  const where = record.org ? `${record.org.name} (${record.org.slug})` : null;
  return (
    <StaffLayout ctx={props.ctx} title={record.title} nav={props.topNav}>
      <div class="admin-layout">
        <AdminSideNav groups={props.nav} current={list.name} />
        <div class="admin-main">
          <BackLink href={`/staff/${list.name}`}>{list.title}</BackLink>
          <PageHeader
            title={record.title}
            subtitle={[record.subtitle, where, 'opening this page is recorded'].filter(Boolean).join(' · ')}
          />
          <div class="grid-2">
            {record.groups.map((g) => (
              <Card title={g.title}>
                <Facts facts={g.facts} />
              </Card>
            ))}
          </div>
          {record.actions && (
            <Card title="Actions">
              {record.actions({ csrfToken: props.ctx.csrfToken, role: props.ctx.viewer?.staffRole ?? null })}
            </Card>
          )}
          {record.related}
          <Card title="History">
            <AuditHistory caption="History of the record" rows={props.history} zone={zone} />
          </Card>
        </div>
      </div>
    </StaffLayout>
  );
}
