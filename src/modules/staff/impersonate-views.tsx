// The page that starts an impersonation: who, in which org, why, for how long, and whether
// changes are allowed (with a second reason). Refused outright for staff and deactivated accounts.
import { StaffLayout } from '../../core/admin/layout.tsx';
import type { FormState } from '../../core/http/forms.ts';
import {
  Card,
  CheckboxField,
  Field,
  FormMessage,
  PageHeader,
  SelectField,
  formatDateTime,
} from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { FormActions, PostForm } from '../../core/views/forms.tsx';
import type { ImpersonationTarget } from '../accounts/service.ts';
import { staffPaths } from './paths.ts';
import { STAFF_NAV } from './views.tsx';

function orgChoice(o: ImpersonationTarget['orgs'][number], zone: string) {
  if (o.supportAccess === 'open') return { value: o.id, label: `${o.name} (${o.role})` };
  return {
    value: o.id,
    label: o.grantedUntil
      ? `${o.name} (${o.role}) — access granted until ${formatDateTime(o.grantedUntil, zone)}`
      : `${o.name} (${o.role}) — asks support to ask first: no grant`,
  };
}

export function ImpersonatePage(props: {
  ctx: PageContext;
  target: ImpersonationTarget;
  refused: string | null;
  form: FormState;
  maxMinutes: number;
}) {
  const { ctx, target, form } = props;
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  return (
    <StaffLayout ctx={ctx} title={`Sign in as ${target.name}`} nav={STAFF_NAV} narrow>
      <PageHeader title={`Sign in as ${target.name}`} subtitle={target.email} />
      {props.refused ? (
        <Card>
          <div class="flash flash-error" role="alert">
            {props.refused}
          </div>
          <p>
            <a class="button button-ghost" href={staffPaths.home}>
              Back to the back-office
            </a>
          </p>
        </Card>
      ) : (
        <Card>
          <p class="muted">
            You will see what {target.name} sees, in one of their organizations, until you stop or the time runs out. It
            is <strong>read-only</strong> unless you allow changes. The start, the end and everything you do are
            recorded with your name and reason; {target.name} sees it in their security activity, and the organization's
            owners in its Activity.
          </p>
          <FormMessage form={form} />
          <PostForm action={staffPaths.impersonate(target.id)} csrfToken={ctx.csrfToken} class="stack" novalidate>
            {target.orgs.length > 0 ? (
              <SelectField
                form={form}
                name="org_id"
                label="Organization"
                options={target.orgs.map((o) => orgChoice(o, zone))}
              />
            ) : (
              <p class="muted small">{target.name} belongs to no organization yet.</p>
            )}
            <Field form={form} name="reason" label="Reason (ticket reference)" required maxLength={200} />
            <Field
              form={form}
              name="minutes"
              label="For how many minutes"
              type="number"
              required
              hint={`At most ${props.maxMinutes}. It ends by itself then.`}
            />
            <CheckboxField
              form={form}
              name="allow_changes"
              label="Allow changes"
              hint="Only when the ticket needs a change made as this person. Shown in red on every page."
            />
            <Field
              form={form}
              name="change_reason"
              label="Why changes are needed"
              maxLength={200}
              hint="Required when changes are allowed."
            />
            <FormActions submit="Start" secondary={{ href: staffPaths.home, label: 'Cancel' }} />
          </PostForm>
        </Card>
      )}
    </StaffLayout>
  );
}
