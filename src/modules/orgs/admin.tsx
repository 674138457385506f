// The back-office lists of organizations and memberships. The org's bank account is never selected.
import { sql, type SqlBool } from 'kysely';
import { OrgLink, RecordLink, When, orgColumn } from '../../core/admin/cells.tsx';
import { defineList, ORG_FILTER, timeSorts, valueOptions, tenantKey } from '../../core/admin/lists.ts';
import { ROLES } from '../../core/roles.ts';
import { organizationRecord } from './admin-record.tsx';
import { Badge } from '../../core/views/components.tsx';

export const organizationsList = defineList({
  name: 'organizations',
  title: 'Organizations',
  area: 'Customers',
  order: 1,
  description: 'Every customer organization, with its members and security settings.',
  query: (tx) =>
    tx
      .selectFrom('organizations as o')
      .select([
        'o.id',
        'o.name',
        'o.slug',
        'o.billing_email',
        'o.default_currency',
        'o.require_2fa',
        'o.created_at',
        (eb) =>
          eb
            .selectFrom('memberships as m')
            .select(eb.fn.countAll<string>().as('n'))
            .whereRef('m.org_id', '=', 'o.id')
            .as('members'),
      ]),
  key: [{ column: 'o.id', type: 'uuid' }],
  sorts: {
    ...timeSorts('o.created_at'),
    name: { label: 'Name, A to Z', column: 'o.name', type: 'text', direction: 'asc' },
  },
  search: {
    label: 'Search',
    hint: 'Part of the name (3+ letters), the start of the address, or the id.',
    fields: [
      { column: 'o.name', match: 'contains', lower: 'call' },
      { column: 'o.slug', match: 'prefix', lower: 'stored' },
      { column: 'o.id', match: 'uuid' },
    ],
  },
  filters: [
    ORG_FILTER,
    {
      kind: 'choice',
      name: 'two_factor',
      label: 'Two-factor rule',
      options: [
        { value: 'required', label: 'Required for members', where: sql<SqlBool>`o.require_2fa` },
        { value: 'optional', label: 'Optional', where: sql<SqlBool>`not o.require_2fa` },
      ],
    },
    { kind: 'dates', name: 'created', label: 'Created', column: 'o.created_at' },
  ],
  columns: ({ zone }) => [
    {
      header: 'Name',
      cell: (o) => (
        <RecordLink list="organizations" id={o.id}>
          <strong>{o.name}</strong>
        </RecordLink>
      ),
    },
    { header: 'Address', cell: (o) => <OrgLink slug={o.slug} /> },
    { header: 'Members', num: true, cell: (o) => Number(o.members ?? 0).toLocaleString('en-GB') },
    {
      header: 'Two-factor',
      cell: (o) => (o.require_2fa ? <Badge tone="green">Required</Badge> : <Badge>Optional</Badge>),
    },
    { header: 'Billing email', secondary: true, class: 'break', cell: (o) => o.billing_email ?? '—' },
    { header: 'Currency', secondary: true, cell: (o) => o.default_currency },
    { header: 'Created', class: 'nowrap', cell: (o) => <When value={o.created_at} zone={zone} /> },
  ],
  empty: { title: 'No organizations yet', hint: 'Organizations appear here when people sign up and create one.' },
  record: organizationRecord,
});

export const membershipsList = defineList({
  name: 'memberships',
  title: 'Memberships',
  area: 'Customers',
  order: 3,
  description: 'Who belongs to which organization, with which role.',
  query: (tx) =>
    tx
      .selectFrom('memberships as m')
      .innerJoin('organizations as o', 'o.id', 'm.org_id')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.org_id', 'm.user_id', 'm.role', 'm.created_at', 'o.slug', 'o.name as org_name', 'u.name', 'u.email']),
  key: tenantKey('m', 'user_id'),
  sorts: timeSorts('m.created_at', { newest: 'Newest members first', oldest: 'Oldest members first' }),
  search: {
    label: 'Person',
    hint: 'Part of the email address (3+ characters).',
    fields: [{ column: 'u.email', match: 'contains', lower: 'stored' }],
  },
  filters: [ORG_FILTER, { kind: 'choice', name: 'role', label: 'Role', options: valueOptions('m.role', ROLES) }],
  columns: ({ zone }) => [
    orgColumn(),
    { header: 'Person', cell: (m) => m.name },
    { header: 'Email', class: 'break', cell: (m) => m.email },
    { header: 'Role', cell: (m) => m.role },
    { header: 'Member since', class: 'nowrap', cell: (m) => <When value={m.created_at} zone={zone} /> },
  ],
  empty: {
    title: 'No memberships yet',
    hint: 'A membership appears when someone creates an org or accepts an invitation.',
  },
});
