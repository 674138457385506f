// The person's organizations and a new one.
import type { FormState } from '../../core/http/forms.ts';
import type { OrgSummary } from '../../core/http/types.ts';
import { Badge, EmptyState, Field } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { CardPage, FormActions, PostForm } from '../../core/views/forms.tsx';
import { initials } from '../../core/views/layout.tsx';
import { Page } from '../../core/views/page.tsx';
import { orgPaths } from './paths.ts';

export function OrgListPage({ ctx, orgs }: { ctx: PageContext; orgs: OrgSummary[] }) {
  return (
    <Page
      ctx={ctx}
      title="Your organizations"
      narrow
      actions={
        <a class="button" href={orgPaths.new}>
          New organization
        </a>
      }
    >
      {orgs.length === 0 ? (
        <EmptyState title="You are not a member of any organization">
          Create one, or ask a colleague to invite you to theirs.
        </EmptyState>
      ) : (
        <ul class="org-list">
          {orgs.map((o) => (
            <li>
              <a class="org-card" href={orgPaths.home(o.slug)}>
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
    </Page>
  );
}

export function NewOrgPage({ ctx, form }: { ctx: PageContext; form: FormState }) {
  return (
    <CardPage
      ctx={ctx}
      title="New organization"
      intro="You will be its owner. Each organization keeps its own invoices, members and history."
      form={form}
    >
      <PostForm action={orgPaths.new} csrfToken={ctx.csrfToken} class="stack" novalidate>
        <Field form={form} name="name" label="Name" required maxLength={200} autocomplete="organization" />
        <FormActions submit="Create organization" secondary={{ href: '/', label: 'Cancel' }} />
      </PostForm>
    </CardPage>
  );
}
