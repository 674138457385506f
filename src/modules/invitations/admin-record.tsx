// An invitation's page in the back-office, and what support may do with it: send the link again
// (the previous one stops working) or revoke it (the address typed to confirm).
import { OrgLink, When } from '../../core/admin/cells.tsx';
import type { RecordDecl, RecordView } from '../../core/admin/record-types.ts';
import { asStaffInOrg } from '../../core/admin/staff-check.ts';
import { Badge } from '../../core/views/components.tsx';
import * as q from './queries.ts';
import { openInvitationOrThrow, resendIn, revokeIn } from './service.ts';

function stateOf(inv: NonNullable<Awaited<ReturnType<typeof q.invitation>>>) {
  if (inv.accepted_at) return { label: 'Accepted', tone: 'green' } as const;
  if (inv.declined_at) return { label: 'Declined', tone: 'neutral' } as const;
  if (inv.revoked_at) return { label: 'Revoked', tone: 'red' } as const;
  if (inv.expired) return { label: 'Expired', tone: 'neutral' } as const;
  return { label: 'Open', tone: 'blue' } as const;
}

export const invitationRecord: RecordDecl = {
  tenant: true,
  idParam: 'invitationId',
  auditTarget: 'invitation',
  load: async (tx, { orgId, id }, { zone }) => {
    const inv = await q.invitation(tx, orgId!, id);
    if (!inv) return null;
    const state = stateOf(inv);
    const open = !inv.accepted_at && !inv.declined_at && !inv.revoked_at;
    const offers: RecordView['offers'] = open ? { resend: {}, revoke: {} } : {};
    return {
      title: `Invitation for ${inv.email}`,
      subtitle: `as ${inv.role}`,
      org: { id: inv.org_id, slug: inv.org_slug, name: inv.org_name },
      confirmText: inv.email,
      offers,
      groups: [
        {
          title: 'Invitation',
          facts: [
            ['State', <Badge tone={state.tone}>{state.label}</Badge>],
            ['Organization', <OrgLink slug={inv.org_slug} name={inv.org_name} />],
            ['Email', inv.email],
            ['Role', inv.role],
            ['Invited by', inv.invited_by_name ?? '—'],
            ['Sent', `${inv.send_count} time${inv.send_count === 1 ? '' : 's'}`],
            ['Last sent', <When value={inv.last_sent_at} zone={zone} />],
            ['Expires', <When value={inv.expires_at} zone={zone} />],
            ['Created', <When value={inv.created_at} zone={zone} />],
          ],
        },
      ],
    };
  },
  actions: [
    {
      name: 'resend',
      label: 'Send the invitation again',
      access: 'staff:support',
      explain: 'Mails a fresh link (7 days, once); the link sent before stops working.',
      run: async (app, actor, { orgId, id }) => {
        const r = await asStaffInOrg(app.db, actor, orgId!, 'staff:support', async (tx) => {
          const inv = await openInvitationOrThrow(tx, orgId!, id);
          const org = { id: orgId!, name: inv.org_name };
          return resendIn(tx, actor, org, inv, app.links, inv.invited_by_name ?? 'Ledgerworks support');
        });
        return { message: `A fresh invitation link was sent to ${r.email}.` };
      },
    },
    {
      name: 'revoke',
      label: 'Revoke the invitation',
      access: 'staff:support',
      explain: 'The link stops working at once; the person is not told. Type the invited address to confirm.',
      typed: true,
      run: async (app, actor, { orgId, id }) => {
        const r = await asStaffInOrg(app.db, actor, orgId!, 'staff:support', async (tx) =>
          revokeIn(tx, actor, orgId!, await openInvitationOrThrow(tx, orgId!, id)),
        );
        return { message: `The invitation for ${r.email} is revoked.` };
      },
    },
  ],
};
