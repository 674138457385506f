// The owners' page for Ledgerworks support's access: ask first or not, and the grants given.
import type { FormState } from '../../core/http/forms.ts';
import { Badge, Card, Field, FormMessage, SelectField, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import { FormActions, PostButton, PostForm } from '../../core/views/forms.tsx';
import { Page } from '../../core/views/page.tsx';
import { orgPaths } from './paths.ts';
import type { SupportAccess } from './support-access.ts';

export type GrantRow = {
  id: string;
  granted_by_name: string | null;
  granted_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  live: boolean;
};

const MODES: { value: SupportAccess; label: string }[] = [
  { value: 'open', label: 'Support may sign in as a member when a ticket needs it' },
  { value: 'grant', label: 'Support must ask first: only while an owner has granted access' },
];

export function SupportAccessPage(props: {
  ctx: PageContext;
  mode: SupportAccess;
  grants: GrantRow[];
  modeForm?: FormState;
  grantForm?: FormState;
}) {
  const { ctx } = props;
  const slug = ctx.org?.slug ?? '';
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const modeForm = props.modeForm ?? { values: { support_access: props.mode }, errors: {} };
  const grantForm = props.grantForm ?? { values: { days: '7' }, errors: {} };
  return (
    <Page
      ctx={ctx}
      title="Support access"
      subtitle="When a ticket needs it, Ledgerworks support can sign in as one of your members to see what they see: read-only unless they state why a change is needed, for at most an hour, and always shown in the Activity log with the reason."
    >
      <Card title="Who may look">
        <FormMessage form={modeForm} />
        <PostForm action={orgPaths.supportAccess(slug)} csrfToken={ctx.csrfToken} class="stack" novalidate>
          <SelectField form={modeForm} name="support_access" label="Support access" options={MODES} />
          <FormActions submit="Save" />
        </PostForm>
      </Card>
      {props.mode === 'grant' && (
        <Card title="Access grants">
          <FormMessage form={grantForm} />
          <PostForm action={orgPaths.supportGrants(slug)} csrfToken={ctx.csrfToken} class="stack" novalidate>
            <Field
              form={grantForm}
              name="days"
              label="Grant access for (days)"
              type="number"
              required
              hint="Support may sign in as your members until then; you can revoke it earlier."
            />
            <FormActions submit="Grant access" />
          </PostForm>
          <DataTable
            caption="Access grants"
            rows={props.grants}
            empty={{
              title: 'No access granted yet',
              children: 'Support cannot sign in as your members until you grant it.',
            }}
            columns={[
              { header: 'Granted by', cell: (g) => g.granted_by_name ?? 'a former member' },
              { header: 'Granted', cell: (g) => <Time value={g.granted_at} zone={zone} /> },
              { header: 'Until', cell: (g) => <Time value={g.revoked_at ?? g.expires_at} zone={zone} /> },
              {
                header: 'State',
                cell: (g) =>
                  g.live ? <Badge tone="green">Live</Badge> : <Badge>{g.revoked_at ? 'Revoked' : 'Over'}</Badge>,
              },
              {
                header: <span class="visually-hidden">Actions</span>,
                cell: (g) =>
                  g.live && (
                    <PostButton
                      action={orgPaths.revokeSupportGrant(slug, g.id)}
                      csrfToken={ctx.csrfToken}
                      label="Revoke"
                      buttonClass="button button-small button-ghost"
                      confirm="Revoke this access grant? Support can no longer sign in as your members."
                    />
                  ),
              },
            ]}
          />
        </Card>
      )}
    </Page>
  );
}
