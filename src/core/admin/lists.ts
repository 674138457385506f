// A back-office list, declared by the module that owns the records (its admin.ts) and rendered by
// core/admin, like Django's ModelAdmin: columns, typed filters, search over indexed fields, sorts,
// keyset pagination and a capped count. The declaration names SQL columns; the list reads them in
// a withStaff() transaction, so row-level security's staff read policy is what lets it see every org.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { AdminList, ChoiceOption, ListCsvDecl, ListDecl, SortDecl } from './list-types.ts';
import { listQuerySchema } from './list-params.ts';
import { countRows, readPage, readRows } from './list-read.ts';
import { renderTable } from './list-table.tsx';

export type {
  AdminArea,
  AdminList,
  ChoiceOption,
  FilterDecl,
  ListDecl,
  ListPage,
  ListParams,
  ListView,
  SearchField,
  SortDecl,
  TextFilter,
  ValueType,
} from './list-types.ts';
export { COUNT_CAP, CSV_MAX_ROWS, PAGE_SIZE, ADMIN_AREAS } from './list-types.ts';

export function defineList<DB, TB extends keyof DB, Row>(decl: ListDecl<DB, TB, Row>): AdminList {
  if (!/^[a-z][a-z-]*$/.test(decl.name)) throw new Error(`admin list name ${decl.name}: lowercase letters and dashes`);
  if (Object.keys(decl.sorts).length === 0) throw new Error(`admin list ${decl.name} declares no sort`);
  const filters = decl.filters ?? [];
  return {
    name: decl.name,
    title: decl.title,
    area: decl.area,
    order: decl.order,
    description: decl.description,
    sorts: decl.sorts,
    search: decl.search && { label: decl.search.label, hint: decl.search.hint },
    filters,
    empty: decl.empty,
    record: decl.record,
    schema: listQuerySchema({ sorts: decl.sorts, key: decl.key, filters, search: !!decl.search }),
    read: async (tx, params, view) => {
      const page = await readPage(tx, decl.query(tx), decl, params);
      return { ...page, table: renderTable(decl, page.rows, params, view) };
    },
    csv: decl.csv && csvOf(decl, decl.csv),
  };
}

/** A list's CSV: its rows read with the list's own filters, search and sort, one keyset batch at a time. */
function csvOf<DB, TB extends keyof DB, Row>(decl: ListDecl<DB, TB, Row>, csv: ListCsvDecl<Row>): AdminList['csv'] {
  return {
    filename: csv.filename,
    header: csv.header,
    batch: async (tx, params, limit) => {
      const { rows, more, last } = await readRows(decl.query(tx), decl, params, limit);
      return { rows: rows.map(csv.cells), last: more ? last : null };
    },
    count: (tx, params, cap) => countRows(tx, decl.query(tx), decl, params, cap),
  };
}

/** The two sorts most lists have: newest and oldest first, on a timestamp with an index (column, key…). */
export function timeSorts(column: string, words: { newest: string; oldest: string } = NEWEST_WORDS) {
  return {
    newest: { label: words.newest, column, type: 'timestamp', direction: 'desc' },
    oldest: { label: words.oldest, column, type: 'timestamp', direction: 'asc' },
  } as const satisfies Record<string, SortDecl>;
}

const NEWEST_WORDS = { newest: 'Newest first', oldest: 'Oldest first' };

/** One option per value of a status-like column: `column = value`. */
export function valueOptions(
  column: string,
  values: readonly string[],
  label: (v: string) => string = (v) => v,
): ChoiceOption[] {
  return values.map((value) => ({ value, label: label(value), where: sql<SqlBool>`${sql.ref(column)} = ${value}` }));
}

/** "yes" where the condition holds, "no" where it does not. */
export function yesNoOptions(yes: string, no: string, where: Expression<SqlBool>): ChoiceOption[] {
  return [
    { value: 'yes', label: yes, where },
    { value: 'no', label: no, where: sql<SqlBool>`not (${where})` },
  ];
}

/** The org filter of a list whose query joins organizations as `o`. */
export const ORG_FILTER = { kind: 'org', name: 'org', label: 'Organization', column: 'o.slug' } as const;

/** The key of a tenant table's rows, its primary key: (org_id, id) under the query's alias. */
export function tenantKey(alias: string, id = 'id') {
  return [
    { column: `${alias}.org_id`, type: 'uuid' },
    { column: `${alias}.${id}`, type: 'uuid' },
  ] as const;
}
