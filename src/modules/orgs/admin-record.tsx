// An organization's page in the back-office: its settings (the bank account masked), its members
// (each linking to their page), its invoices by status and its support access; when no owner can
// act any more, a superuser makes a member the owner.
import { PersonLink, When } from '../../core/admin/cells.tsx';
import type { RecordDecl, RecordView } from '../../core/admin/record-types.ts';
import { maskIban } from '../../core/banking.ts';
import { formatMoney } from '../../core/money.ts';
import { Badge, Card } from '../../core/views/components.tsx';
import { DataTable } from '../../core/views/data-table.tsx';
import { transferOwnership } from './staff-actions.ts';

export const organizationRecord: RecordDecl = {
  tenant: false,
  idParam: 'orgId',
  auditTarget: 'organization',
  load: async (tx, { id }, { zone }) => {
    const o = await tx
      .selectFrom('organizations as o')
      .innerJoin('currencies as c', 'c.code', 'o.default_currency')
      .select(['o.id', 'o.name', 'o.slug', 'o.billing_email', 'o.default_currency', 'o.require_2fa'])
      .select(['o.support_access', 'o.approval_threshold_minor', 'o.bank_iban', 'o.created_at', 'c.minor_units'])
      .where('o.id', '=', id)
      .executeTakeFirst();
    if (!o) return null;
    const members = await tx
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'u.name', 'u.email', 'm.role', 'm.created_at', 'u.totp_enabled_at', 'u.is_active'])
      .select('u.deactivated_at')
      .where('m.org_id', '=', id)
      .orderBy('u.name')
      .limit(200)
      .execute();
    const counts = await tx
      .selectFrom('invoice_status_counts')
      .select(['status', 'n'])
      .where('org_id', '=', id)
      .where('n', '>', '0')
      .orderBy('status')
      .execute();
    const canAct = (m: (typeof members)[number]) => m.is_active && !m.deactivated_at;
    const ownerless = !members.some((m) => m.role === 'owner' && canAct(m));
    const heirs = members.filter((m) => m.role !== 'owner' && canAct(m));
    const offers: RecordView['offers'] =
      ownerless && heirs.length
        ? {
            'transfer-ownership': {
              choices: heirs.map((m) => ({ value: m.user_id, label: `${m.name} (${m.role})` })),
            },
          }
        : {};
    return {
      title: o.name,
      confirmText: o.slug,
      offers,
      subtitle: 'Organization',
      org: { id: o.id, slug: o.slug, name: o.name },
      groups: [
        {
          title: 'Organization',
          facts: [
            ['Address', <code>/o/{o.slug}</code>],
            ['Billing email', o.billing_email ?? '—'],
            ['Default currency', o.default_currency],
            ['Two approvals from', formatMoney(o.approval_threshold_minor, o.default_currency, o.minor_units)],
            ['Paying account', o.bank_iban ? maskIban(o.bank_iban) : 'not set'],
            ['Created', <When value={o.created_at} zone={zone} />],
            ['Id', <code>{o.id}</code>],
          ],
        },
        {
          title: 'Security and support',
          facts: [
            ['Two-factor', o.require_2fa ? <Badge tone="green">Required</Badge> : <Badge>Optional</Badge>],
            ['Support access', o.support_access === 'grant' ? 'support must be granted access first' : 'open'],
            ['Members', String(members.length)],
            ['Owner who can act', ownerless ? <Badge tone="red">none</Badge> : 'yes'],
            ['Invoices', counts.length ? counts.map((c) => `${c.status} ${c.n}`).join(' · ') : 'none'],
          ],
        },
      ],
      related: (
        <Card title="Members">
          <DataTable
            caption="Members"
            rows={members}
            empty={{ title: 'No members', children: 'Everyone has left this organization.' }}
            columns={[
              { header: 'Person', cell: (m) => <PersonLink id={m.user_id} name={m.name} /> },
              { header: 'Email', class: 'break', cell: (m) => m.email },
              { header: 'Role', cell: (m) => m.role },
              { header: 'Two-factor', cell: (m) => (m.totp_enabled_at ? 'on' : 'off') },
              {
                header: 'Account',
                cell: (m) =>
                  canAct(m) ? 'active' : <Badge tone="red">{m.deactivated_at ? 'deleted' : 'disabled'}</Badge>,
              },
              { header: 'Member since', class: 'nowrap', cell: (m) => <When value={m.created_at} zone={zone} /> },
            ]}
          />
          <p class="small">
            <a href={`/staff/invoices?org=${encodeURIComponent(o.slug)}`}>Its invoices</a> ·{' '}
            <a href={`/staff/payouts?org=${encodeURIComponent(o.slug)}`}>payouts</a> ·{' '}
            <a href={`/staff/imports?org=${encodeURIComponent(o.slug)}`}>imports</a> ·{' '}
            <a href={`/staff/audit-log?org=${encodeURIComponent(o.slug)}`}>audit log</a>
          </p>
        </Card>
      ),
    };
  },
  actions: [
    {
      name: 'transfer-ownership',
      label: 'Make this member the owner',
      access: 'staff:superuser',
      explain:
        'No owner of this organization can act any more. The member you choose becomes an owner and is told by email; the Activity log shows it with your reason. Type the org address to confirm.',
      typed: true,
      reason: true,
      choice: 'New owner',
      run: async (app, actor, { id }, { choice, reason }) => {
        const r = await transferOwnership(app.db, actor, id, choice!, reason!);
        return { message: `${r.name} is now an owner of ${r.orgName}.` };
      },
    },
  ],
};
