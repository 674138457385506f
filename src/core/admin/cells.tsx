// Cells the back-office lists and record pages share: the org a record belongs to, a time, a
// missing value, links to a record's page and to a person's.
import type { ComponentChildren } from 'preact';
import { Time } from '../views/components.tsx';
import type { Column } from '../views/data-table.tsx';
import { recordPath } from './records.ts';

/** The org a record belongs to, by its address (slug): links to that org in the organizations list. */
export function OrgLink({ slug, name }: { slug: string; name?: string }) {
  return (
    <a class="nowrap" href={`/staff/organizations?org=${encodeURIComponent(slug)}`} title={name}>
      {slug}
    </a>
  );
}

export function None() {
  return <span class="muted">—</span>;
}

export function When({ value, zone }: { value: Date | string | null; zone: string }) {
  return value ? <Time value={value} zone={zone} /> : <None />;
}

/** The first column of a list of tenant records: the org, from the query's o.slug and o.name as org_name. */
export function orgColumn<R extends { slug: string; org_name: string }>(): Column<R> {
  return { header: 'Organization', cell: (r) => <OrgLink slug={r.slug} name={r.org_name} /> };
}

/** A link to a record's back-office page (recordPath). */
export function RecordLink(props: { list: string; orgId?: string | null; id: string; children: ComponentChildren }) {
  return <a href={recordPath(props.list, { orgId: props.orgId, id: props.id })}>{props.children}</a>;
}

/** A person by name, linking to their back-office page; "—" for nobody (a task, a deleted account). */
export function PersonLink({ id, name }: { id: string | null; name: string | null }) {
  return id ? <a href={`/staff/users/${id}`}>{name ?? id}</a> : <None />;
}

/** Where a list's row leads: its record page (under the row's org_id unless the record is of no org). */
export function recordHref(list: string, opts: { tenant: boolean } = { tenant: true }) {
  return (r: { org_id?: string | null; id: string }) =>
    recordPath(list, { orgId: opts.tenant ? r.org_id : null, id: r.id });
}
