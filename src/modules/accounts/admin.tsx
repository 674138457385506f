// The back-office lists of people and their sessions. Neither ever selects a password hash, a
// TOTP secret, a recovery code or a session's token hash: the columns below are all there is.
import { sql, type SqlBool } from 'kysely';
import { None, When } from '../../core/admin/cells.tsx';
import { defineList, timeSorts, valueOptions, yesNoOptions } from '../../core/admin/lists.ts';
import { STAFF_ROLE_LABELS, STAFF_ROLES, type StaffRole } from '../../core/http/staff-access.ts';
import { Badge } from '../../core/views/components.tsx';

export const usersList = defineList({
  name: 'users',
  title: 'Users',
  area: 'Customers',
  order: 2,
  description: 'Everyone with an account: staff role, two-factor, lockout and deactivation.',
  query: (tx) =>
    tx
      .selectFrom('users as u')
      .select([
        'u.id',
        'u.name',
        'u.email',
        'u.staff_role',
        'u.created_at',
        'u.deactivated_at',
        'u.is_active',
        sql<boolean>`u.totp_enabled_at is not null`.as('two_factor'),
        sql<boolean>`coalesce(u.locked_until > now(), false)`.as('locked'),
        (eb) =>
          eb
            .selectFrom('memberships as m')
            .select(eb.fn.countAll<string>().as('n'))
            .whereRef('m.user_id', '=', 'u.id')
            .as('orgs'),
      ]),
  key: [{ column: 'u.id', type: 'uuid' }],
  sorts: timeSorts('u.created_at', { newest: 'Newest accounts first', oldest: 'Oldest accounts first' }),
  search: {
    label: 'Search',
    hint: 'Part of the email or name (3+ characters), or the id.',
    fields: [
      { column: 'u.email', match: 'contains', lower: 'stored' },
      { column: 'u.name', match: 'contains', lower: 'call' },
      { column: 'u.id', match: 'uuid' },
    ],
  },
  filters: [
    {
      kind: 'choice',
      name: 'staff',
      label: 'Staff role',
      options: [
        { value: 'any', label: 'Any staff role', where: sql<SqlBool>`u.staff_role is not null` },
        ...valueOptions('u.staff_role', STAFF_ROLES, (r) => STAFF_ROLE_LABELS[r as StaffRole]),
        { value: 'none', label: 'Not staff', where: sql<SqlBool>`u.staff_role is null` },
      ],
    },
    {
      kind: 'choice',
      name: 'two_factor',
      label: 'Two-factor',
      options: yesNoOptions('On', 'Off', sql<SqlBool>`u.totp_enabled_at is not null`),
    },
    {
      kind: 'choice',
      name: 'locked',
      label: 'Locked out',
      options: yesNoOptions('Locked now', 'Not locked', sql<SqlBool>`coalesce(u.locked_until > now(), false)`),
    },
    {
      kind: 'choice',
      name: 'state',
      label: 'Account',
      options: [
        { value: 'active', label: 'Active', where: sql<SqlBool>`u.is_active` },
        {
          value: 'disabled',
          label: 'Disabled by staff',
          where: sql<SqlBool>`not u.is_active and u.deactivated_at is null`,
        },
        { value: 'deactivated', label: 'Deactivated', where: sql<SqlBool>`u.deactivated_at is not null` },
      ],
    },
    { kind: 'dates', name: 'created', label: 'Signed up', column: 'u.created_at' },
  ],
  columns: ({ zone }) => [
    // The person's back-office page (staff/user-routes.ts).
    { header: 'Name', cell: (u) => <a href={`/staff/users/${u.id}`}>{u.name}</a> },
    { header: 'Email', class: 'break', cell: (u) => u.email },
    {
      header: 'Staff',
      cell: (u) => (u.staff_role ? <Badge tone="blue">{STAFF_ROLE_LABELS[u.staff_role]}</Badge> : <None />),
    },
    { header: 'Two-factor', cell: (u) => (u.two_factor ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>) },
    {
      header: 'State',
      cell: (u) =>
        u.deactivated_at ? (
          <Badge tone="red">Deactivated</Badge>
        ) : !u.is_active ? (
          <Badge tone="red">Disabled</Badge>
        ) : u.locked ? (
          <Badge tone="amber">Locked</Badge>
        ) : (
          <Badge tone="green">Active</Badge>
        ),
    },
    { header: 'Orgs', num: true, cell: (u) => Number(u.orgs ?? 0).toLocaleString('en-GB') },
    { header: 'Signed up', class: 'nowrap', cell: (u) => <When value={u.created_at} zone={zone} /> },
  ],
  empty: { title: 'No accounts yet', hint: 'Accounts appear here when people sign up or accept an invitation.' },
});

export const sessionsList = defineList({
  name: 'sessions',
  title: 'Sessions',
  area: 'Operations',
  order: 4,
  description: 'Signed-in browsers: who, from where, since when, until when. Tokens are never shown.',
  query: (tx) =>
    tx
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        's.public_id',
        's.created_at',
        's.last_seen_at',
        's.expires_at',
        's.staff_seen_at',
        's.ip',
        's.user_agent',
        'u.email',
        sql<boolean>`s.expires_at > now()`.as('active'),
      ]),
  key: [{ column: 's.public_id', type: 'uuid' }],
  sorts: timeSorts('s.created_at', { newest: 'Newest sign-ins first', oldest: 'Oldest sign-ins first' }),
  search: {
    label: 'Person',
    hint: 'Part of the email address (3+ characters).',
    fields: [{ column: 'u.email', match: 'contains', lower: 'stored' }],
  },
  filters: [
    {
      kind: 'choice',
      name: 'state',
      label: 'State',
      options: [
        { value: 'active', label: 'Active', where: sql<SqlBool>`s.expires_at > now()` },
        { value: 'expired', label: 'Expired', where: sql<SqlBool>`s.expires_at <= now()` },
      ],
    },
    {
      kind: 'choice',
      name: 'staff_area',
      label: 'Back-office',
      options: [{ value: 'used', label: 'Has used /staff', where: sql<SqlBool>`s.staff_seen_at is not null` }],
    },
    { kind: 'dates', name: 'created', label: 'Signed in', column: 's.created_at' },
  ],
  columns: ({ zone }) => [
    { header: 'Person', class: 'break', cell: (s) => s.email },
    { header: 'State', cell: (s) => (s.active ? <Badge tone="green">Active</Badge> : <Badge>Expired</Badge>) },
    { header: 'Signed in', class: 'nowrap', cell: (s) => <When value={s.created_at} zone={zone} /> },
    { header: 'Last seen', class: 'nowrap', cell: (s) => <When value={s.last_seen_at} zone={zone} /> },
    { header: 'Expires', class: 'nowrap', secondary: true, cell: (s) => <When value={s.expires_at} zone={zone} /> },
    { header: 'IP', class: 'nowrap', cell: (s) => s.ip ?? <None /> },
    { header: 'Browser', class: 'break small', secondary: true, cell: (s) => s.user_agent?.slice(0, 120) ?? <None /> },
  ],
  empty: { title: 'No sessions', hint: 'A session appears when someone signs in.' },
});
