// Reads one page of a declared list: the declaration's query, narrowed by its filters and search,
// ordered by the chosen sort then the key, after the cursor (keyset: no OFFSET, so page 200 costs
// what page 1 costs), plus an exact count of the filtered rows that stops at COUNT_CAP.
import { sql, type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Tx } from '../db/pool.ts';
import { encodeCursor } from './list-params.ts';
import {
  COUNT_CAP,
  PAGE_SIZE,
  type FilterDecl,
  type ListParams,
  type SearchField,
  type SortDecl,
  type TextFilter,
  type ValueType,
} from './list-types.ts';

const CASTS: Record<ValueType, string> = {
  timestamp: 'timestamptz',
  date: 'date',
  text: 'text',
  uuid: 'uuid',
  bigint: 'bigint',
};

/** The value as the cursor carries it: timestamps in UTC with all six fractional digits, so no row is skipped. */
function asText(column: string, type: ValueType): RawBuilder<string> {
  const ref = sql.ref(column);
  if (type === 'timestamp') return sql<string>`to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  return sql<string>`${ref}::text`;
}

function typed(value: string, type: ValueType): RawBuilder<unknown> {
  return sql`${value}::${sql.raw(CASTS[type])}`;
}

/**
 * `column` starts with `prefix`, as a range of the text_pattern_ops index: [prefix, the prefix with
 * its last character's successor). Not `like 'p%'`: under row-level security the planner may not
 * use the statistics of a function that is not leakproof (textlike), guesses that 0.5% of the rows
 * match, and sorts a whole table rather than walking the sort's index; the pattern comparisons are
 * leakproof. UTF-8's byte order is code point order, so the bound is exact for any text.
 */
export function startsWith(col: RawBuilder<unknown> | Expression<unknown>, prefix: string): Expression<SqlBool> {
  const below = upperBound(prefix);
  return below === null
    ? sql<SqlBool>`${col} ~>=~ ${prefix}`
    : sql<SqlBool>`(${col} ~>=~ ${prefix} and ${col} ~<~ ${below})`;
}

/** The least text greater than every text that starts with `prefix` (null: none, it is all U+10FFFF). */
function upperBound(prefix: string): string | null {
  const points = [...prefix];
  while (points.length) {
    const last = points.pop()!.codePointAt(0)!;
    // The largest character: every text starting with this prefix sorts last among the shorter one's.
    if (last === 0x10ffff) continue;
    return points.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
  }
  return null;
}

/** The user id of the person with this whole email (stored lower-cased), as one value the index can use. */
function personIs(col: Expression<unknown>, email: string): Expression<SqlBool> {
  return sql<SqlBool>`${col} = (select p.id from users p where p.email = ${email.toLowerCase()})`;
}

/** `like` patterns match the characters typed, never their wildcards. */
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function searchCondition(field: SearchField, term: string): Expression<SqlBool> | null {
  const col = field.lower === 'call' ? sql`lower(${sql.ref(field.column)})` : sql.ref(field.column);
  const normalized = field.normalize ? field.normalize(term) : term;
  const t = field.lower ? normalized.toLowerCase() : normalized;
  switch (field.match) {
    case 'exact':
      return sql<SqlBool>`${col} = ${t}`;
    case 'uuid':
      return VALUE_UUID.test(t.toLowerCase()) ? sql<SqlBool>`${col} = ${t.toLowerCase()}::uuid` : null;
    case 'prefix':
      return t ? startsWith(col, t) : null;
    case 'person':
      return personIs(sql.ref(field.column), t);
    case 'contains':
      // Trigram indexes cannot narrow a term shorter than 3 characters: such a term would scan the table.
      return t.length >= 3 ? sql<SqlBool>`${col} like ${`%${escapeLike(t)}%`}` : null;
  }
}

const VALUE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function filterConditions(filter: FilterDecl, values: Readonly<Record<string, string>>): Expression<SqlBool>[] {
  switch (filter.kind) {
    case 'choice': {
      const chosen = filter.options.find((o) => o.value === values[filter.name]);
      return chosen ? [chosen.where] : [];
    }
    case 'org':
      return values.org ? [sql<SqlBool>`${sql.ref(filter.column)} = ${values.org}`] : [];
    case 'dates': {
      const from = values[`${filter.name}_from`];
      const to = values[`${filter.name}_to`];
      const col = sql.ref(filter.column);
      return [
        ...(from ? [sql<SqlBool>`${col} >= (${from}::date::timestamp at time zone 'UTC')`] : []),
        ...(to ? [sql<SqlBool>`${col} < ((${to}::date + 1)::timestamp at time zone 'UTC')`] : []),
      ];
    }
    case 'text': {
      const value = values[filter.name];
      return value ? [textCondition(filter, value)] : [];
    }
  }
}

/** The value was checked by the list's schema (a uuid is one, an IP address is one: list-params.ts). */
function textCondition(filter: TextFilter, value: string): Expression<SqlBool> {
  const col = sql.ref(filter.column);
  const v = filter.lower ? value.toLowerCase() : value;
  switch (filter.match) {
    case 'exact':
      return sql<SqlBool>`${col} = ${v}`;
    case 'uuid':
      return sql<SqlBool>`${col} = ${v.toLowerCase()}::uuid`;
    case 'inet':
      return sql<SqlBool>`${col} = ${v}::inet`;
    case 'prefix':
      return startsWith(col, v);
    case 'person':
      return personIs(col, v);
    case 'exact-or-prefix': {
      const prefix = PREFIX_MARK.test(v) ? v.replace(/\*$/, '') : null;
      return prefix === null ? sql<SqlBool>`${col} = ${v}` : prefix ? startsWith(col, prefix) : sql<SqlBool>`true`;
    }
  }
}

/** "invoice." and "invoice*" are prefixes; "invoice.approved" is one action. */
const PREFIX_MARK = /[.*]$/;

/**
 * The conditions of some filters for the values a schema parsed (filterValuesSchema): what a page
 * outside the back-office (an org's Activity) uses to filter as the lists do.
 */
export function filterWhere(
  filters: readonly FilterDecl[],
  values: Readonly<Record<string, string>>,
): Expression<SqlBool>[] {
  return filters.flatMap((f) => filterConditions(f, values));
}

type Decl = {
  name: string;
  key: readonly { column: string; type: ValueType }[];
  sorts: Readonly<Record<string, SortDecl>>;
  search?: { fields: readonly SearchField[] };
  filters?: readonly FilterDecl[];
};

/** The filters and search of `params` as one condition list (search fields are OR-ed). */
function conditions(decl: Decl, params: ListParams): Expression<SqlBool>[] {
  const where = (decl.filters ?? []).flatMap((f) => filterConditions(f, params.filters));
  if (params.q && decl.search) {
    const any = decl.search.fields.map((f) => searchCondition(f, params.q as string)).filter((c) => c !== null);
    // A term no field can use (two letters for a "contains" field only) matches nothing rather than scanning.
    where.push(any.length ? sql<SqlBool>`(${sql.join(any, sql` or `)})` : sql<SqlBool>`false`);
  }
  return where;
}

/**
 * Up to `limit` rows of the filtered list after the cursor, in the sort's order, and the cursor
 * values of the last one (the page's next link, or where the next CSV batch starts).
 */
export async function readRows<DB, TB extends keyof DB, Row>(
  base: SelectQueryBuilder<DB, TB, Row>,
  decl: Decl,
  params: ListParams,
  limit: number,
): Promise<{ rows: Row[]; more: boolean; last: string[] | null }> {
  const sort = decl.sorts[params.sort] as SortDecl;
  const order = [{ column: sort.column, type: sort.type }, ...decl.key];
  let page = conditions(decl, params).reduce((qb, c) => qb.where(c), base);
  if (params.after) {
    const cmp = sql.raw(sort.direction === 'desc' ? '<' : '>');
    const left = sql.join(order.map((o) => sql.ref(o.column)));
    const right = sql.join(order.map((o, i) => typed(params.after?.[i] as string, o.type)));
    page = page.where(sql<SqlBool>`(${left}) ${cmp} (${right})`);
  }
  const dir = sql.raw(sort.direction);
  const rows = await order
    .reduce((qb, o) => qb.orderBy(sql`${sql.ref(o.column)} ${dir}`), page)
    .select(order.map((o, i) => asText(o.column, o.type).as(`lw_order_${i}`)))
    .limit(limit + 1)
    .execute();
  const shown = rows.slice(0, limit);
  const last = shown.at(-1) as Record<string, string> | undefined;
  return {
    rows: shown,
    more: rows.length > limit,
    last: last ? order.map((_, i) => last[`lw_order_${i}`] as string) : null,
  };
}

/** How many rows the filters leave, counting no further than `cap` + 1 (so "more than cap" is known). */
export async function countRows<DB, TB extends keyof DB, Row>(
  tx: Tx,
  base: SelectQueryBuilder<DB, TB, Row>,
  decl: Decl,
  params: ListParams,
  cap: number,
): Promise<number> {
  const filtered = conditions(decl, params).reduce((qb, c) => qb.where(c), base);
  const counted = await sql<{ n: number }>`select count(*)::int as n from (${filtered
    .clearSelect()
    .select(sql`1`.as('one'))
    .limit(cap + 1)}) as c`.execute(tx);
  return counted.rows[0]?.n ?? 0;
}

export async function readPage<DB, TB extends keyof DB, Row>(
  tx: Tx,
  base: SelectQueryBuilder<DB, TB, Row>,
  decl: Decl,
  params: ListParams,
): Promise<{ rows: Row[]; count: number; capped: boolean; next: string | null }> {
  const { rows, more, last } = await readRows(base, decl, params, PAGE_SIZE);
  const count = await countRows(tx, base, decl, params, COUNT_CAP);
  return {
    rows,
    count: Math.min(count, COUNT_CAP),
    capped: count > COUNT_CAP,
    next: more && last ? encodeCursor(params.sort, last) : null,
  };
}
