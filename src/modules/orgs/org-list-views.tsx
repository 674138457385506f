// The person's organizations and a new one.
import type { FormState } from '../../core/http/forms.ts';
import type { OrgSummary } from '../../core/http/types.ts';
import { Badge, CsrfField, EmptyState, Field, FormMessage, PageHeader } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { initials, Layout } from '../../core/views/layout.tsx';

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
