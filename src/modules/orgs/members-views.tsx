import type { Rights } from '../../core/http/policy.ts';
import type { OrgAction } from './policy.ts';
// The members page: roles, approval limits, removal.
import type { Role } from '../../core/roles.ts';
import { formatMoney, toDecimalString } from '../../core/money.ts';
import { Badge, Card, CsrfField, PageHeader, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { initials, Layout } from '../../core/views/layout.tsx';

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
    <Layout ctx={ctx} title="Members">
      <PageHeader
        title="Members"
        subtitle={`${members.length} ${members.length === 1 ? 'person' : 'people'} in ${ctx.org?.name ?? ''}`}
        actions={
          rights.invite && (
            <a class="button" href={`/o/${slug}/invitations`}>
              Invite people
            </a>
          )
        }
      />
      <Card>
        <div class="table-wrap">
          <table class="table members-table">
            <thead>
              <tr>
                <th>Person</th>
                <th>Role</th>
                {rights.viewTwoFactor && <th>Two-factor</th>}
                <th>Approval limit</th>
                <th>Joined</th>
                {(rights.remove || rights.changeRole) && (
                  <th>
                    <span class="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr id={`member-${m.id}`}>
                  <td>
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
                  </td>
                  <td>
                    {may(m, 'member.change_role') ? (
                      <form method="post" action={`/o/${slug}/members/${m.id}/role`} class="inline-form">
                        <CsrfField token={ctx.csrfToken} />
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
                      </form>
                    ) : (
                      <Badge tone={m.role === 'owner' ? 'blue' : 'neutral'}>{m.role}</Badge>
                    )}
                  </td>
                  {rights.viewTwoFactor && (
                    <td>{m.two_factor ? <Badge tone="green">on</Badge> : <Badge tone="amber">off</Badge>}</td>
                  )}
                  <td>
                    {!APPROVING_ROLES.includes(m.role) ? (
                      <span class="muted small">does not approve</span>
                    ) : rights.on(m)['member.set_approval_limit'].allowed ? (
                      <form method="post" action={`/o/${slug}/members/${m.id}/limit`} class="inline-form">
                        <CsrfField token={ctx.csrfToken} />
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
                      </form>
                    ) : (
                      <span class="small">
                        {m.approval_limit_minor === null
                          ? 'no limit'
                          : formatMoney(m.approval_limit_minor, currency.code, currency.minor_units)}
                      </span>
                    )}
                  </td>
                  <td class="nowrap muted small">
                    <Time value={m.created_at} zone={zone} />
                  </td>
                  {(rights.remove || rights.changeRole) && (
                    <td class="actions-cell">
                      {may(m, 'member.remove') && (
                        <form
                          method="post"
                          action={`/o/${slug}/members/${m.id}/remove`}
                          data-confirm={`Remove ${m.name} from ${ctx.org?.name ?? 'this organization'}? They lose access immediately.`}
                        >
                          <CsrfField token={ctx.csrfToken} />
                          <button class="button button-danger button-small" type="submit">
                            Remove
                          </button>
                        </form>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card title="Leave this organization">
        <p class="muted">
          You lose access to {ctx.org?.name} at once. Your account and your other organizations stay as they are. The
          last owner cannot leave.
        </p>
        <form
          method="post"
          action={`/o/${slug}/leave`}
          data-confirm={`Leave ${ctx.org?.name ?? 'this organization'}? You will need a new invitation to come back.`}
        >
          <CsrfField token={ctx.csrfToken} />
          <button class="button button-danger-ghost" type="submit">
            Leave organization
          </button>
        </form>
      </Card>
    </Layout>
  );
}
