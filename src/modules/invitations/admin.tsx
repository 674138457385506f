// The back-office list of invitations and each one's page (admin-record.tsx). The token's hash is never selected.
import { sql, type SqlBool } from 'kysely';
import { recordHref, When, orgColumn } from '../../core/admin/cells.tsx';
import { defineList, ORG_FILTER, timeSorts, valueOptions, tenantKey } from '../../core/admin/lists.ts';
import { ROLES } from '../../core/roles.ts';
import { Badge } from '../../core/views/components.tsx';
import { invitationRecord } from './admin-record.tsx';

const OPEN = sql<SqlBool>`(i.accepted_at is null and i.declined_at is null and i.revoked_at is null)`;

const STATES = {
  open: { label: 'Open', tone: 'blue', where: sql<SqlBool>`${OPEN} and i.expires_at > now()` },
  expired: { label: 'Expired', tone: 'neutral', where: sql<SqlBool>`${OPEN} and i.expires_at <= now()` },
  accepted: { label: 'Accepted', tone: 'green', where: sql<SqlBool>`i.accepted_at is not null` },
  declined: { label: 'Declined', tone: 'neutral', where: sql<SqlBool>`i.declined_at is not null` },
  revoked: { label: 'Revoked', tone: 'red', where: sql<SqlBool>`i.revoked_at is not null` },
} as const;

type State = keyof typeof STATES;

export const invitationsList = defineList({
  name: 'invitations',
  title: 'Invitations',
  area: 'Customers',
  order: 4,
  description: 'Invitations into organizations, open and settled.',
  query: (tx) =>
    tx
      .selectFrom('invitations as i')
      .innerJoin('organizations as o', 'o.id', 'i.org_id')
      .leftJoin('users as by', 'by.id', 'i.invited_by')
      .select([
        'i.org_id',
        'i.id',
        'i.email',
        'i.role',
        'i.created_at',
        'i.expires_at',
        'i.send_count',
        'o.slug',
        'o.name as org_name',
        'by.email as invited_by',
        sql<State>`case
          when i.accepted_at is not null then 'accepted'
          when i.declined_at is not null then 'declined'
          when i.revoked_at is not null then 'revoked'
          when i.expires_at <= now() then 'expired'
          else 'open' end`.as('state'),
      ]),
  key: tenantKey('i'),
  sorts: timeSorts('i.created_at'),
  search: {
    label: 'Email',
    hint: 'The start of the invited address.',
    fields: [{ column: 'i.email', match: 'prefix', lower: 'stored' }],
  },
  filters: [
    ORG_FILTER,
    {
      kind: 'choice',
      name: 'state',
      label: 'State',
      options: Object.entries(STATES).map(([value, s]) => ({ value, label: s.label, where: s.where })),
    },
    { kind: 'choice', name: 'role', label: 'Role', options: valueOptions('i.role', ROLES) },
  ],
  columns: ({ zone }) => [
    orgColumn(),
    { header: 'Email', class: 'break', href: recordHref('invitations'), cell: (i) => i.email },
    { header: 'Role', cell: (i) => i.role },
    { header: 'State', cell: (i) => <Badge tone={STATES[i.state].tone}>{STATES[i.state].label}</Badge> },
    { header: 'Sent', num: true, cell: (i) => i.send_count },
    { header: 'Invited by', class: 'break', secondary: true, cell: (i) => i.invited_by ?? '—' },
    { header: 'Created', class: 'nowrap', cell: (i) => <When value={i.created_at} zone={zone} /> },
    { header: 'Expires', class: 'nowrap', secondary: true, cell: (i) => <When value={i.expires_at} zone={zone} /> },
  ],
  empty: { title: 'No invitations yet', hint: "Invitations appear when an org's owners or admins invite someone." },
  record: invitationRecord,
});
