// The one page every declared list uses: the back-office navigation of all lists by area, the
// filters as a GET form (search, each filter, sort), the capped count, the table and the link to
// the next page (its cursor). No script and no inline style: classes from public/app.css.
import type { PageContext } from '../views/context.ts';
import { PageHeader } from '../views/components.tsx';
import { StaffLayout, type StaffNavEntry } from './layout.tsx';
import { isFiltered } from './list-table.tsx';
import {
  COUNT_CAP,
  CSV_MAX_ROWS,
  type AdminList,
  type FilterDecl,
  type ListPage,
  type ListParams,
} from './list-types.ts';
import { AdminSideNav, type AdminNavGroup } from './nav.tsx';

/** The list's address with these parameters (empty ones left out). */
export function listUrl(name: string, values: Readonly<Record<string, string | undefined>>): string {
  const q = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => !!e[1]));
  const s = q.toString();
  return s ? `/staff/${name}?${s}` : `/staff/${name}`;
}

/** The CSV of this view (same filters, search and sort). */
export function listCsvUrl(name: string, values: Readonly<Record<string, string | undefined>>): string {
  return listUrl(name, values).replace(`/staff/${name}`, `/staff/${name}.csv`);
}

/** The parameters that make this view (filters, search, sort), without the cursor. */
function viewParams(list: AdminList, params: ListParams): Record<string, string | undefined> {
  const sortDefault = Object.keys(list.sorts)[0];
  return { ...params.filters, q: params.q, sort: params.sort === sortDefault ? undefined : params.sort };
}

function countText(page: ListPage): string {
  if (page.capped) return `${COUNT_CAP.toLocaleString('en-GB')}+ records`;
  return `${page.count.toLocaleString('en-GB')} ${page.count === 1 ? 'record' : 'records'}`;
}

/** One filter's fields of a GET form; pages outside the back-office (an org's Activity) use it too. */
export function FilterField({ filter, values }: { filter: FilterDecl; values: Readonly<Record<string, string>> }) {
  const id = (name: string) => `f-${name}`;
  if (filter.kind === 'choice')
    return (
      <div class="field">
        <label for={id(filter.name)}>{filter.label}</label>
        <select id={id(filter.name)} name={filter.name}>
          <option value="">Any</option>
          {filter.options.map((o) => (
            <option value={o.value} selected={values[filter.name] === o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    );
  if (filter.kind === 'text')
    return (
      <div class="field">
        <label for={id(filter.name)}>{filter.label}</label>
        <input
          id={id(filter.name)}
          name={filter.name}
          value={values[filter.name] ?? ''}
          placeholder={filter.example}
          autocomplete="off"
        />
      </div>
    );
  if (filter.kind === 'org')
    return (
      <div class="field">
        <label for={id('org')}>{filter.label}</label>
        <input id={id('org')} name="org" value={values.org ?? ''} placeholder="address, e.g. northwind" />
      </div>
    );
  return (
    <>
      {(['from', 'to'] as const).map((end) => (
        <div class="field">
          <label for={id(`${filter.name}_${end}`)}>
            {end === 'from' ? `${filter.label} from` : `${filter.label} until (UTC)`}
          </label>
          <input
            id={id(`${filter.name}_${end}`)}
            name={`${filter.name}_${end}`}
            type="date"
            value={values[`${filter.name}_${end}`] ?? ''}
          />
        </div>
      ))}
    </>
  );
}

export function AdminListPage(props: {
  ctx: PageContext;
  list: AdminList;
  nav: readonly AdminNavGroup[];
  topNav: readonly StaffNavEntry[];
  params: ListParams;
  page: ListPage;
}) {
  const { list, params, page } = props;
  const view = viewParams(list, params);
  const sortNames = Object.keys(list.sorts);
  return (
    <StaffLayout ctx={props.ctx} title={list.title} nav={props.topNav}>
      <div class="admin-layout">
        <AdminSideNav groups={props.nav} current={list.name} />
        <div class="admin-main">
          <PageHeader title={list.title} subtitle={list.description} />
          <form method="get" action={`/staff/${list.name}`} class="card filters admin-filters">
            <div class="admin-filter-grid">
              {list.search && (
                <div class="field filter-search">
                  <label for="f-q">{list.search.label}</label>
                  <input id="f-q" name="q" type="search" value={params.q ?? ''} aria-describedby="f-q-hint" />
                  <p class="hint" id="f-q-hint">
                    {list.search.hint}
                  </p>
                </div>
              )}
              {list.filters.map((f) => (
                <FilterField filter={f} values={params.filters} />
              ))}
              {sortNames.length > 1 && (
                <div class="field">
                  <label for="f-sort">Sort</label>
                  <select id="f-sort" name="sort">
                    {sortNames.map((s) => (
                      <option value={s} selected={params.sort === s}>
                        {list.sorts[s]?.label}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </div>
            <div class="filter-actions">
              <button class="button button-small" type="submit">
                Apply
              </button>
              {list.csv && (
                <a class="button button-ghost button-small" href={listCsvUrl(list.name, view)} download>
                  Download CSV
                </a>
              )}
              {isFiltered(params) && (
                <a class="button button-ghost button-small" href={`/staff/${list.name}`}>
                  Clear filters
                </a>
              )}
            </div>
            {list.csv && (
              <p class="hint">
                The CSV holds the rows these filters find, in this order, up to {CSV_MAX_ROWS.toLocaleString('en-GB')}{' '}
                (narrow the filters for more); each download is recorded in the audit log.
              </p>
            )}
          </form>
          <section class="card">
            <p class="admin-count" id="list-count">
              {countText(page)}
              {params.after && ' (showing a later page)'}
            </p>
            {page.table}
            {(page.next || params.after) && (
              <nav class="pager" aria-label="Pages">
                {params.after && <a href={listUrl(list.name, view)}>First page</a>}
                {page.next && (
                  <a href={listUrl(list.name, { ...view, after: page.next })} rel="next">
                    Next page
                  </a>
                )}
              </nav>
            )}
          </section>
        </div>
      </div>
    </StaffLayout>
  );
}
