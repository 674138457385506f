// The back-office list of the audit log across organizations: who did what, when, from where.
// The recorded changes stay on the record's own history (secrets in them are masked already).
import { sql, type SqlBool } from 'kysely';
import { None, OrgLink, When } from '../admin/cells.tsx';
import { defineList, ORG_FILTER, timeSorts } from '../admin/lists.ts';

export const auditLogList = defineList({
  name: 'audit-log',
  title: 'Audit log',
  area: 'Operations',
  order: 5,
  description: 'Every change a person, a staff member or a task made, in every org and outside any.',
  query: (tx) =>
    tx
      .selectFrom('audit_log as l')
      .leftJoin('organizations as o', 'o.id', 'l.org_id')
      .leftJoin('users as a', 'a.id', 'l.actor_user_id')
      .leftJoin('users as imp', 'imp.id', 'l.impersonator_user_id')
      .select([
        'l.id',
        'l.created_at',
        'l.action',
        'l.target_type',
        'l.target_id',
        'l.ip',
        'l.request_id',
        'a.email as actor',
        'imp.email as impersonator',
        'o.slug',
        'o.name as org_name',
      ]),
  key: [{ column: 'l.id', type: 'bigint' }],
  sorts: timeSorts('l.created_at'),
  search: {
    label: 'Search',
    hint: 'The start of an action (invoice.), a target id, a request id, or an actor’s whole email.',
    fields: [
      { column: 'l.action', match: 'prefix' },
      { column: 'l.target_id', match: 'exact' },
      { column: 'l.request_id', match: 'exact' },
      { column: 'a.email', match: 'exact', lower: 'stored' },
    ],
  },
  filters: [
    ORG_FILTER,
    {
      kind: 'choice',
      name: 'scope',
      label: 'Belongs to',
      options: [
        { value: 'org', label: 'An organization', where: sql<SqlBool>`l.org_id is not null` },
        { value: 'none', label: 'No org (sign-ins, accounts)', where: sql<SqlBool>`l.org_id is null` },
      ],
    },
    {
      kind: 'choice',
      name: 'impersonated',
      label: 'Impersonation',
      options: [
        { value: 'yes', label: 'Done while impersonating', where: sql<SqlBool>`l.impersonator_user_id is not null` },
      ],
    },
    { kind: 'dates', name: 'when', label: 'When', column: 'l.created_at' },
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
          {l.actor ?? <span class="muted">a task or the system</span>}
          {l.impersonator && <span class="muted small"> (impersonated by {l.impersonator})</span>}
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
  empty: { title: 'The audit log is empty', hint: 'Entries appear with every sign-in and every change.' },
});
