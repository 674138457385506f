// The back-office list of the audit log across organizations: who did what, when, from where.
// The recorded changes stay on the record's own history (secrets in them are masked already) and
// in the CSV. Every filter narrows through an index (migrations 0001, 0009, 0011): "who changed
// Northwind's billing email" is org=northwind&action=org.billing_email_changed.
import { sql, type SqlBool } from 'kysely';
import { None, OrgLink, When } from '../admin/cells.tsx';
import { defineList, ORG_FILTER, timeSorts } from '../admin/lists.ts';
import { auditEntriesWithPeople, readAuditChanges } from './audit.ts';
import { auditFilters } from './filters.ts';

const AUDIT = auditFilters('payout.approved, or export.');

export const auditLogList = defineList({
  name: 'audit-log',
  title: 'Audit log',
  area: 'Operations',
  order: 5,
  description: 'Every change a person, a staff member or a task made, in every org and outside any.',
  query: (tx) =>
    auditEntriesWithPeople(tx)
      .leftJoin('organizations as o', 'o.id', 'a.org_id')
      .select(['o.slug', 'o.name as org_name']),
  key: [{ column: 'a.id', type: 'bigint' }],
  sorts: timeSorts('a.created_at'),
  search: {
    label: 'Search',
    hint: 'The start of an action (invoice.), a target id, a request id, or an actor’s whole email.',
    fields: [
      { column: 'a.action', match: 'prefix' },
      { column: 'a.target_id', match: 'exact' },
      { column: 'a.request_id', match: 'exact' },
      { column: 'a.actor_user_id', match: 'person' },
    ],
  },
  filters: [
    ORG_FILTER,
    AUDIT.actor,
    {
      kind: 'text',
      name: 'impersonator',
      label: 'Impersonated by (email)',
      column: 'imp.email',
      match: 'exact',
      lower: 'stored',
    },
    AUDIT.action,
    ...AUDIT.record,
    {
      kind: 'choice',
      name: 'scope',
      label: 'Belongs to',
      options: [
        { value: 'org', label: 'An organization', where: sql<SqlBool>`a.org_id is not null` },
        { value: 'none', label: 'No org (sign-ins, accounts)', where: sql<SqlBool>`a.org_id is null` },
      ],
    },
    {
      kind: 'choice',
      name: 'impersonated',
      label: 'Impersonation',
      options: [
        { value: 'yes', label: 'Done while impersonating', where: sql<SqlBool>`a.impersonator_user_id is not null` },
      ],
    },
    AUDIT.when,
  ],
  columns: ({ zone }) => [
    { header: 'When', class: 'nowrap', cell: (l) => <When value={l.created_at} zone={zone} /> },
    {
      header: 'Organization',
      cell: (l) => (l.slug ? <OrgLink slug={l.slug} name={l.org_name ?? undefined} /> : <None />),
    },
    {
      header: 'Who',
      class: 'break',
      cell: (l) => (
        <>
          {l.actor_email ?? <span class="muted">a task or the system</span>}
          {l.impersonator_email && <span class="muted small"> (impersonated by {l.impersonator_email})</span>}
        </>
      ),
    },
    { header: 'Action', class: 'nowrap', cell: (l) => <code>{l.action}</code> },
    {
      header: 'Target',
      class: 'break small',
      cell: (l) => (l.target_type ? `${l.target_type} ${l.target_id ?? ''}` : <None />),
    },
    { header: 'IP', class: 'nowrap', secondary: true, cell: (l) => l.ip ?? <None /> },
    { header: 'Request', class: 'break small', secondary: true, cell: (l) => l.request_id ?? <None /> },
  ],
  csv: {
    filename: 'audit-log',
    header: [
      'id',
      'at',
      'org',
      'actor_email',
      'impersonator_email',
      'action',
      'target_type',
      'target_id',
      'changes',
      'request_id',
      'ip',
    ],
    cells: (l) => [
      l.id,
      l.created_at,
      l.slug,
      l.actor_email,
      l.impersonator_email,
      l.action,
      l.target_type,
      l.target_id,
      JSON.stringify(readAuditChanges(l.changes)),
      l.request_id,
      l.ip,
    ],
  },
  empty: { title: 'The audit log is empty', hint: 'Entries appear with every sign-in and every change.' },
});
