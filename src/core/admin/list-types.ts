// The shapes of a back-office list declaration (see lists.ts).
import type { Expression, SelectQueryBuilder, SqlBool } from 'kysely';
import type { VNode } from 'preact';
import type { z } from 'zod';
import type { Tx } from '../db/pool.ts';
import type { Column } from '../views/data-table.tsx';
import type { CsvCell } from '../csv.ts';
import type { RecordDecl } from './record-types.ts';

export const ADMIN_AREAS = ['Customers', 'Finance', 'Data', 'Operations'] as const;
export type AdminArea = (typeof ADMIN_AREAS)[number];

/** How a sort or key value travels in a cursor, and the SQL type it is compared as. */
export type ValueType = 'timestamp' | 'text' | 'uuid' | 'bigint' | 'date';

export type SortDecl = { label: string; column: string; type: ValueType; direction: 'asc' | 'desc' };

/**
 * One searched field. `exact` and `prefix` use a btree (prefix: text_pattern_ops on the lowered
 * value); `contains` uses a pg_trgm index and applies to terms of 3 characters or more.
 */
export type SearchField = {
  column: string;
  /** 'person': the column holds a user id, and the term is that person's whole email. */
  match: 'exact' | 'prefix' | 'contains' | 'uuid' | 'person';
  /** Case-insensitive: 'call' compares lower(column) (the index is on lower(column)); 'stored' when the column holds lowercase already. */
  lower?: 'call' | 'stored';
  /** The term as the column stores it (a tax id without spaces, upper case). */
  normalize?: (term: string) => string;
};

export type ChoiceOption = { value: string; label: string; where: Expression<SqlBool> };

export type FilterDecl =
  /** A select of named options (a status, "two-factor on"), each with its SQL condition. */
  | { kind: 'choice'; name: string; label: string; options: readonly ChoiceOption[] }
  /** The org a record belongs to, by slug: `column` is the slug of the joined organization. */
  | { kind: 'org'; name: 'org'; label: string; column: string }
  /** A date range over a timestamp, in UTC days: `<name>_from` and `<name>_to`. */
  | { kind: 'dates'; name: string; label: string; column: string }
  /** A typed value compared with one indexed column (see TextFilter). */
  | TextFilter;

/**
 * A value typed into a field and compared with one column, each way backed by an index:
 * `exact` (btree), `prefix` (text_pattern_ops), `exact-or-prefix` (exact, or a prefix when the
 * value ends with `.` or `*`: an audit action, `invoice.`), `uuid` and `inet` (the value must be
 * one, or the request answers 400). `lower: 'stored'` lowers the value for a column that holds
 * lowercase already (an email).
 */
export type TextFilter = {
  kind: 'text';
  name: string;
  label: string;
  column: string;
  /** 'person': the column holds a user id, and the value is that person's whole email. */
  match: 'exact' | 'prefix' | 'exact-or-prefix' | 'uuid' | 'inet' | 'person';
  lower?: 'stored';
  /** An example value, shown greyed in the empty input until the person types. */
  example?: string;
};

/** What a cell may know beyond its row: the staff member's time zone. */
export type ListView = { zone: string };

export type ListDecl<DB, TB extends keyof DB, Row> = {
  /** The address: /staff/<name>. */
  name: string;
  title: string;
  area: AdminArea;
  /** Its place within the area's navigation (lower first). */
  order: number;
  /** One line under the title: what the list is for. */
  description: string;
  /** The rows, joined with what the columns show; filters, search, order and limit are added to it. */
  query: (tx: Tx) => SelectQueryBuilder<DB, TB, Row>;
  /** The columns that identify a row (the primary key): the tiebreaker of every sort. */
  key: readonly { column: string; type: ValueType }[];
  /** The first is the default. Each is backed by an index (sort column, then the key). */
  sorts: Readonly<Record<string, SortDecl>>;
  search?: { label: string; hint: string; fields: readonly SearchField[] };
  filters?: readonly FilterDecl[];
  columns: (view: ListView) => readonly Column<Row>[];
  /** What the page says when there is nothing at all yet: what to do, or where records come from. */
  empty: { title: string; hint: string };
  /** The page of one record (where a row leads), when the list has one. */
  record?: RecordDecl;
  /** A "Download CSV" of the filtered rows (list-csv.ts): the file's name, its header, each row's cells. */
  csv?: ListCsvDecl<Row>;
};

export type ListCsvDecl<Row> = { filename: string; header: readonly string[]; cells: (row: Row) => CsvCell[] };

/** One keyset batch of a list's rows as CSV cells, and the cursor values of its last row (null: the end). */
export type CsvBatch = { rows: CsvCell[][]; last: readonly string[] | null };

export type ListPage = { table: VNode; count: number; capped: boolean; next: string | null };

/** A list with its row type erased: what a module's manifest holds and core/admin renders. */
export type AdminList = {
  name: string;
  title: string;
  area: AdminArea;
  order: number;
  description: string;
  sorts: Readonly<Record<string, SortDecl>>;
  search?: { label: string; hint: string };
  filters: readonly FilterDecl[];
  empty: { title: string; hint: string };
  /** The query string's schema, built from the declaration: a bad value or cursor answers 400. */
  schema: z.ZodType<ListParams>;
  read: (tx: Tx, params: ListParams, view: ListView) => Promise<ListPage>;
  record?: RecordDecl;
  /** The list's CSV, when it declares one: the header, and the filtered rows one batch at a time in the sort's order. */
  csv?: {
    filename: string;
    header: readonly string[];
    batch: (tx: Tx, params: ListParams, limit: number) => Promise<CsvBatch>;
    count: (tx: Tx, params: ListParams, cap: number) => Promise<number>;
  };
};

/** The query string of a list page, validated and decoded. */
export type ListParams = {
  sort: string;
  q?: string;
  /** The decoded cursor: the sort value, then the key values, of the last row of the previous page. */
  after?: readonly string[];
  /** Filter values by query parameter name (status, org, created_from…). */
  filters: Readonly<Record<string, string>>;
};

export const PAGE_SIZE = 50;
export const COUNT_CAP = 10_000;
/** The most rows one CSV download of a list holds: a download stays a few tens of megabytes at most. */
export const CSV_MAX_ROWS = 100_000;
/** Rows read per batch of a CSV download, each batch its own short transaction. */
export const CSV_BATCH_SIZE = 2_000;
