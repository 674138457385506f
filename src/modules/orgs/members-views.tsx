import type { Rights } from '../../core/http/policy.ts';
import type { OrgAction } from './policy.ts';
// The members page: roles, approval limits, removal.
import type { Role } from '../../core/roles.ts';
import { formatMoney, toDecimalString } from '../../core/money.ts';
import { Badge, Card, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import { PostButton, PostForm } from '../../core/views/forms.tsx';
import { initials } from '../../core/views/layout.tsx';
import { Page } from '../../core/views/page.tsx';
import { invitationPaths } from '../invitations/service.ts';
import { orgPaths } from './paths.ts';

type Member = {
  id: string;
  name: string;
  email: string;
  role: Role;
  created_at: Date;
  two_factor: boolean;
  approval_limit_minor: string | null;
};

export type MemberRights = {
  changeRole: boolean;
  remove: boolean;
  viewTwoFactor: boolean;
  setLimit: boolean;
  invite: boolean;
  /** What the viewer may do to one member (the policy's record rules). */
  on: (member: Member) => Rights<OrgAction>;
  /** The roles the viewer may grant. */
  grantable: readonly Role[];
};

/** Roles whose approval limit matters. */
const APPROVING_ROLES: readonly Role[] = ['owner', 'admin', 'approver'];

export function MembersPage({
  ctx,
  members,
  rights,
  currency,
}: {
  ctx: PageContext;
  members: Member[];
  rights: MemberRights;
  currency: { code: string; minor_units: number };
}) {
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const slug = ctx.org?.slug ?? '';
  const me = ctx.viewer?.id;
  // One's own membership is left through "Leave", not changed from this list.
  const may = (m: Member, action: OrgAction) => m.id !== me && rights.on(m)[action].allowed;
  return (
    <Page
      ctx={ctx}
      title="Members"
      subtitle={`${members.length} ${members.length === 1 ? 'person' : 'people'} in ${ctx.org?.name ?? ''}`}
      actions={
        rights.invite && (
          <a class="button" href={invitationPaths.list(slug)}>
            Invite people
          </a>
        )
      }
    >
      <Card>
        <DataTable<Member>
          class="members-table"
          columns={[
            { header: 'Person', cell: (m) => <Person m={m} me={me} /> },
            {
              header: 'Role',
              cell: (m) =>
                may(m, 'member.change_role') ? (
                  <PostForm action={orgPaths.member(slug, m.id, 'role')} csrfToken={ctx.csrfToken} class="inline-form">
                    <label class="visually-hidden" for={`role-${m.id}`}>
                      Role of {m.name}
                    </label>
                    <select id={`role-${m.id}`} name="role">
                      {rights.grantable.map((r) => (
                        <option value={r} selected={r === m.role}>
                          {r}
                        </option>
                      ))}
                    </select>
                    <button class="button button-ghost button-small" type="submit">
                      Save
                    </button>
                  </PostForm>
                ) : (
                  <Badge tone={m.role === 'owner' ? 'blue' : 'neutral'}>{m.role}</Badge>
                ),
            },
            rights.viewTwoFactor && {
              header: 'Two-factor',
              cell: (m) => (m.two_factor ? <Badge tone="green">on</Badge> : <Badge tone="amber">off</Badge>),
            },
            {
              header: 'Approval limit',
              cell: (m) =>
                !APPROVING_ROLES.includes(m.role) ? (
                  <span class="muted small">does not approve</span>
                ) : rights.on(m)['member.set_approval_limit'].allowed ? (
                  <PostForm action={orgPaths.member(slug, m.id, 'limit')} csrfToken={ctx.csrfToken} class="inline-form">
                    <label class="visually-hidden" for={`limit-${m.id}`}>
                      Approval limit of {m.name} in {currency.code}
                    </label>
                    <input
                      id={`limit-${m.id}`}
                      name="limit"
                      class="limit-input"
                      inputMode="decimal"
                      placeholder="no limit"
                      value={
                        m.approval_limit_minor === null
                          ? ''
                          : toDecimalString(m.approval_limit_minor, currency.minor_units)
                      }
                    />
                    <button class="button button-ghost button-small" type="submit">
                      Save
                    </button>
                  </PostForm>
                ) : (
                  <span class="small">
                    {m.approval_limit_minor === null
                      ? 'no limit'
                      : formatMoney(m.approval_limit_minor, currency.code, currency.minor_units)}
                  </span>
                ),
            },
            { header: 'Joined', class: 'nowrap muted small', cell: (m) => <Time value={m.created_at} zone={zone} /> },
            (rights.remove || rights.changeRole) && {
              header: <span class="visually-hidden">Actions</span>,
              class: 'actions-cell',
              cell: (m) =>
                may(m, 'member.remove') && (
                  <PostButton
                    action={orgPaths.member(slug, m.id, 'remove')}
                    csrfToken={ctx.csrfToken}
                    confirm={`Remove ${m.name} from ${ctx.org?.name ?? 'this organization'}? They lose access immediately.`}
                    buttonClass="button button-danger button-small"
                    label="Remove"
                  />
                ),
            },
          ]}
          rows={members}
          rowId={(m) => `member-${m.id}`}
          empty={{ title: 'No members' }}
        />
      </Card>
      <Card title="Leave this organization">
        <p class="muted">
          You lose access to {ctx.org?.name} at once. Your account and your other organizations stay as they are. The
          last owner cannot leave.
        </p>
        <PostButton
          action={orgPaths.leave(slug)}
          csrfToken={ctx.csrfToken}
          confirm={`Leave ${ctx.org?.name ?? 'this organization'}? You will need a new invitation to come back.`}
          buttonClass="button button-danger-ghost"
          label="Leave organization"
        />
      </Card>
    </Page>
  );
}

function Person({ m, me }: { m: Member; me: string | undefined }) {
  return (
    <div class="people-cell">
      <span class="avatar" aria-hidden="true">
        {initials(m.name)}
      </span>
      <span class="people-main">
        <strong>
          {m.name}
          {m.id === me && <span class="muted"> (you)</span>}
        </strong>
        <span class="muted small">{m.email}</span>
      </span>
    </div>
  );
}
