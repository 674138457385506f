import { ROLES, type Role } from '../../core/db/schema.ts';
import type { RunRow } from '../../core/tasks/runs.ts';
import type { FormState } from '../../core/http/forms.ts';
import { formatMoney, toDecimalString } from '../../core/money.ts';
import type { OrgSummary } from '../../core/http/types.ts';
import {
  Badge,
  Card,
  CheckboxField,
  CsrfField,
  EmptyState,
  Field,
  FormMessage,
  PageHeader,
  SelectField,
  Time,
} from '../../core/views/components.tsx';
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
type AuditRow = {
  id: string;
  action: string;
  target_type: string | null;
  changes: unknown;
  created_at: Date;
  ip: string | null;
  actor_name: string | null;
  actor_email: string | null;
};

export function OrgListPage({ ctx, orgs }: { ctx: PageContext; orgs: OrgSummary[] }) {
  return (
    <Layout ctx={ctx} title="Your organizations" narrow>
      <PageHeader
        title="Your organizations"
        actions={
          <a class="button" href="/orgs/new">
            New organization
          </a>
        }
      />
      {orgs.length === 0 ? (
        <EmptyState title="You are not a member of any organization">
          Create one, or ask a colleague to invite you to theirs.
        </EmptyState>
      ) : (
        <ul class="org-list">
          {orgs.map((o) => (
            <li>
              <a class="org-card" href={`/o/${o.slug}`}>
                <span class="avatar avatar-square" aria-hidden="true">
                  {initials(o.name)}
                </span>
                <span class="org-card-name">{o.name}</span>
                <Badge>{o.role}</Badge>
              </a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function NewOrgPage({ ctx, form }: { ctx: PageContext; form: FormState }) {
  return (
    <Layout ctx={ctx} title="New organization" narrow>
      <section class="card auth-card">
        <h1>New organization</h1>
        <p class="muted">You will be its owner. Each organization keeps its own invoices, members and history.</p>
        <FormMessage form={form} />
        <form method="post" action="/orgs/new" class="stack" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <Field form={form} name="name" label="Name" required maxLength={200} autocomplete="organization" />
          <div class="form-actions">
            <button class="button" type="submit">
              Create organization
            </button>
            <a class="button button-ghost" href="/">
              Cancel
            </a>
          </div>
        </form>
      </section>
    </Layout>
  );
}

export type MemberRights = {
  changeRole: boolean;
  remove: boolean;
  viewTwoFactor: boolean;
  setLimit: boolean;
  invite: boolean;
  isOwner: boolean;
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
  const manageable = (m: Member) => m.id !== me && (m.role !== 'owner' || rights.isOwner);
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
                    {rights.changeRole && manageable(m) ? (
                      <form method="post" action={`/o/${slug}/members/${m.id}/role`} class="inline-form">
                        <CsrfField token={ctx.csrfToken} />
                        <label class="visually-hidden" for={`role-${m.id}`}>
                          Role of {m.name}
                        </label>
                        <select id={`role-${m.id}`} name="role">
                          {ROLES.filter((r) => rights.isOwner || r !== 'owner').map((r) => (
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
                    ) : rights.setLimit && (m.role !== 'owner' || rights.isOwner) ? (
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
                      {rights.remove && manageable(m) && (
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

export function SettingsPage({
  ctx,
  form,
  currencies,
}: {
  ctx: PageContext;
  form: FormState;
  currencies: { code: string; name: string }[];
}) {
  const slug = ctx.org?.slug ?? '';
  return (
    <Layout ctx={ctx} title="Settings">
      <PageHeader
        title="Organization settings"
        subtitle="Changes are recorded in the activity log with the old and new value."
      />
      <Card>
        <FormMessage form={form} />
        <form method="post" action={`/o/${slug}/settings`} class="stack settings-form" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <Field form={form} name="name" label="Name" required maxLength={200} autocomplete="organization" />
          <Field
            form={form}
            name="billing_email"
            label="Billing email"
            type="email"
            maxLength={254}
            hint="Where invoices about Ledgerworks itself go. When it changes, the previous address is told."
          />
          <SelectField
            form={form}
            name="default_currency"
            label="Default currency"
            options={currencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` }))}
          />
          <Field
            form={form}
            name="approval_threshold"
            label="Two-approval threshold"
            hint="Invoices at or above this amount (in the default currency) need approval by two different people."
            required
          />
          <CheckboxField
            form={form}
            name="require_2fa"
            label="Require two-factor authentication"
            hint="Members without it are asked to set it up before they can open this organization."
          />
          <div class="form-actions">
            <button class="button" type="submit">
              Save settings
            </button>
          </div>
        </form>
      </Card>
    </Layout>
  );
}

const STATUS_TONE = {
  queued: 'neutral',
  running: 'blue',
  retrying: 'amber',
  succeeded: 'green',
  failed: 'red',
} as const;
const STATUS_WORDS = {
  queued: 'Queued',
  running: 'Running',
  retrying: 'Failed, will retry',
  succeeded: 'Done',
  failed: 'Failed for good',
} as const;

/** "0.4 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function RunDuration({ run }: { run: RunRow }) {
  if (!run.started_at) return <span class="muted">waiting</span>;
  if (!run.finished_at)
    return <span class="muted">{run.status === 'retrying' ? 'between attempts' : 'in progress'}</span>;
  return <>{formatDuration(run.finished_at.getTime() - run.started_at.getTime())}</>;
}

/**
 * The org's background work. A run that failed for good says so in words and never shows
 * progress; with `retry`, such a run gets a Retry button (once: a retried run links to its retry).
 */
export function RunTable({
  runs,
  zone,
  retry,
}: {
  runs: (RunRow & { label: string })[];
  zone: string;
  retry?: { slug: string; csrfToken: string };
}) {
  if (runs.length === 0)
    return (
      <EmptyState title="No background work yet">Imports, exports and emails will show their progress here.</EmptyState>
    );
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th>Task</th>
            <th>Status</th>
            <th>Started by</th>
            <th>Started</th>
            <th>Duration</th>
            <th>Attempts</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr id={`run-${r.id}`}>
              <td>
                {r.label}
                {r.retry_of && <div class="muted small">Retry of an earlier run</div>}
              </td>
              <td>
                <Badge tone={STATUS_TONE[r.status]}>{STATUS_WORDS[r.status]}</Badge>
                {r.progress_total && (r.status === 'running' || r.status === 'queued') ? (
                  <progress max={r.progress_total} value={r.progress_done ?? 0}>
                    {r.progress_done} of {r.progress_total}
                  </progress>
                ) : null}
              </td>
              <td>{r.started_by_name ?? <span class="muted">System</span>}</td>
              <td class="nowrap">
                {r.started_at ? <Time value={r.started_at} zone={zone} /> : <span class="muted">not yet</span>}
              </td>
              <td class="nowrap">
                <RunDuration run={r} />
              </td>
              <td>
                {r.attempts} / {r.max_attempts}
              </td>
              <td class="small">
                {r.error && <div class="run-error">{r.error}</div>}
                {r.status === 'failed' &&
                  (r.retried_by ? (
                    <span class="muted">Retried (see the newer run).</span>
                  ) : retry ? (
                    <form method="post" action={`/o/${retry.slug}/activity/runs/${r.id}/retry`} class="inline-form">
                      <CsrfField token={retry.csrfToken} />
                      <button class="button button-small" type="submit">
                        Retry
                      </button>
                    </form>
                  ) : null)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ActivityPage({
  ctx,
  entries,
  runs,
  nextBefore,
  canRetry,
}: {
  ctx: PageContext;
  entries: AuditRow[];
  runs: (RunRow & { label: string })[];
  nextBefore: string | undefined;
  canRetry: boolean;
}) {
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const slug = ctx.org?.slug ?? '';
  return (
    <Layout ctx={ctx} title="Activity">
      <PageHeader title="Activity" subtitle="Who did what, and when. Entries cannot be edited or deleted." />
      <Card title="Audit log">
        {entries.length === 0 ? (
          <EmptyState title="Nothing recorded yet" />
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>What</th>
                  <th>Details</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr>
                    <td class="nowrap">
                      <Time value={e.created_at} zone={zone} />
                    </td>
                    <td>
                      {e.actor_name ?? 'System'}
                      {e.actor_email && <div class="muted small">{e.actor_email}</div>}
                    </td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td class="small">
                      <Changes changes={e.changes} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {nextBefore && (
          <p>
            <a href={`/o/${slug}/activity?before=${nextBefore}`}>Older entries →</a>
          </p>
        )}
      </Card>
      <section id="runs">
        <Card title="Background work">
          <RunTable runs={runs} zone={zone} retry={canRetry ? { slug, csrfToken: ctx.csrfToken } : undefined} />
        </Card>
      </section>
    </Layout>
  );
}

function Changes({ changes }: { changes: unknown }) {
  if (!changes || typeof changes !== 'object') return null;
  const entries = Object.entries(changes as Record<string, unknown>);
  if (entries.length === 0) return <span class="muted">—</span>;
  return (
    <dl class="changes">
      {entries.map(([k, v]) => (
        <>
          <dt>{k.replace(/_/g, ' ')}</dt>
          <dd>{describeValue(v)}</dd>
        </>
      ))}
    </dl>
  );
}

/** A changed field reads "old → new"; other values as text. */
function describeValue(v: unknown): string {
  if (v && typeof v === 'object' && 'from' in v && 'to' in v) {
    const { from, to } = v;
    return `${describeValue(from)} → ${describeValue(to)}`;
  }
  if (v === null || v === undefined) return '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
