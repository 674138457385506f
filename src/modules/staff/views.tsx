// The back-office's own pages: its home (who you are here, what each role may do, the staff
// team), the password prompt of a stale staff sign-in, and the page that asks for two-factor.
import { StaffLayout, type StaffNavEntry } from '../../core/admin/layout.tsx';
import { AdminDirectory, type AdminNavGroup } from '../../core/admin/nav.tsx';
import { emptyForm, type FormState } from '../../core/http/forms.ts';
import { STAFF_ROLE_DUTIES, STAFF_ROLE_LABELS, STAFF_ROLES } from '../../core/http/staff-access.ts';
import { Badge, Field, FormMessage, PageHeader, SelectField, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import { CardBody, FormActions, PostForm } from '../../core/views/forms.tsx';
import type { StaffMember } from './queries.ts';
import { staffPaths } from './paths.ts';

export const STAFF_NAV: readonly StaffNavEntry[] = [{ label: 'Home', path: staffPaths.home }];

const ROLE_CHOICES = [
  ...STAFF_ROLES.map((r) => ({ value: r, label: STAFF_ROLE_LABELS[r] })),
  { value: 'none', label: 'Not staff (take the role away)' },
];

export function StaffHomePage({
  ctx,
  team,
  teamForm = emptyForm,
  lists,
}: {
  ctx: PageContext;
  team: readonly StaffMember[];
  teamForm?: FormState;
  lists: readonly AdminNavGroup[];
}) {
  const role = ctx.viewer?.staffRole;
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  return (
    <StaffLayout ctx={ctx} title="Home" nav={STAFF_NAV}>
      <PageHeader
        title="Back-office"
        subtitle={role ? `You are signed in as ${STAFF_ROLE_LABELS[role]}. What you open here is recorded.` : undefined}
      />
      <AdminDirectory groups={lists} />
      <section class="card">
        <h2>Staff roles</h2>
        <DataTable
          caption="What each staff role may do"
          columns={[
            {
              header: 'Role',
              cell: (r) => (r === role ? <strong>{STAFF_ROLE_LABELS[r]} (you)</strong> : STAFF_ROLE_LABELS[r]),
            },
            { header: 'May', cell: (r) => STAFF_ROLE_DUTIES[r] },
          ]}
          rows={STAFF_ROLES}
          empty={{ title: 'No roles' }}
        />
      </section>
      <section class="card">
        <h2>Staff team</h2>
        <p class="muted small">
          {role === 'superuser'
            ? 'Give an existing account a staff role, change it, or take it away.'
            : 'Superusers manage the staff here; on the server, ledgerworks staff does the same.'}
        </p>
        {role === 'superuser' && (
          <PostForm action={staffPaths.teamRole} csrfToken={ctx.csrfToken} class="staff-team-form" novalidate>
            <FormMessage form={teamForm} />
            <Field form={teamForm} name="email" label="Account email" type="email" required />
            <SelectField form={teamForm} name="role" label="Staff role" options={ROLE_CHOICES} />
            <FormActions submit="Set the role" />
          </PostForm>
        )}
        <DataTable
          caption="Everyone with a staff role"
          columns={[
            { header: 'Name', cell: (m) => m.name },
            { header: 'Email', cell: (m) => m.email, class: 'break' },
            { header: 'Role', cell: (m) => STAFF_ROLE_LABELS[m.staff_role] },
            {
              header: 'Two-factor',
              cell: (m) => (m.two_factor ? <Badge tone="green">On</Badge> : <Badge tone="red">Off</Badge>),
            },
            {
              header: 'Last sign-in',
              secondary: true,
              cell: (m) =>
                m.last_sign_in ? <Time value={m.last_sign_in} zone={zone} /> : <span class="muted">—</span>,
            },
          ]}
          rows={team}
          rowId={(m) => `staff-${m.id}`}
          empty={{ title: 'No staff yet', children: <p>Add staff with ledgerworks staff add.</p> }}
        />
      </section>
    </StaffLayout>
  );
}

const STALE_REASONS = {
  expired: `Your sign-in is more than 12 hours old.`,
  idle: `The back-office was idle for more than 30 minutes.`,
  destructive: `That action cannot be undone, so it needs your password from the last 15 minutes; send it again after this.`,
} as const;

export function ConfirmPasswordPage(props: {
  ctx: PageContext;
  form: FormState;
  next: string;
  reason: keyof typeof STALE_REASONS | null;
}) {
  return (
    <StaffLayout ctx={props.ctx} title="Confirm your password" narrow>
      <CardBody
        heading="Confirm your password"
        intro={`${props.reason ? `${STALE_REASONS[props.reason]} ` : ''}The back-office asks for your password again before it shows customers' data.`}
        form={props.form}
      >
        <PostForm action={staffPaths.confirm()} csrfToken={props.ctx.csrfToken} class="stack" novalidate>
          <input type="hidden" name="next" value={props.next} />
          <Field
            form={props.form}
            name="password"
            label="Password"
            type="password"
            autocomplete="current-password"
            required
          />
          <FormActions submit="Continue" secondary={{ href: '/orgs', label: 'Leave the back-office' }} />
        </PostForm>
      </CardBody>
    </StaffLayout>
  );
}

export function TwoFactorNeededPage({ ctx }: { ctx: PageContext }) {
  return (
    <StaffLayout ctx={ctx} title="Two-factor authentication needed" narrow>
      <section class="card auth-card">
        <h1>Turn on two-factor authentication</h1>
        <p>
          The back-office shows every customer's data, so it opens only for staff who sign in with a second factor. Turn
          it on for your account, then come back.
        </p>
        <div class="form-actions">
          <a class="button" href="/account/two-factor">
            Set up two-factor authentication
          </a>
          <a class="button button-ghost" href="/orgs">
            Not now
          </a>
        </div>
      </section>
    </StaffLayout>
  );
}
