import type { ComponentChildren } from 'preact';
import { EmptyState } from './components.tsx';

/** One column of a DataTable: its header and how a row fills its cell. */
export type Column<T> = {
  header: ComponentChildren;
  cell: (row: T) => ComponentChildren;
  /** Numbers: right-aligned, tabular figures. */
  num?: boolean;
  /** Hidden on phones (the key columns stay). */
  secondary?: boolean;
  /** Extra classes of the cells (e.g. 'nowrap', 'small'). */
  class?: string;
  /** Extra classes of the header cell. */
  headerClass?: string;
  /** The cell links there (the record's own page). */
  href?: (row: T) => string;
};

/** Columns as a page lists them: `false` (or null) for a column this viewer does not get. */
export type Columns<T> = readonly (Column<T> | false | null | undefined)[];

export function shownColumns<T>(columns: Columns<T>): Column<T>[] {
  return columns.filter((c): c is Column<T> => Boolean(c));
}

const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ') || undefined;

/**
 * One row of a table from its columns. A row that is a partial of its own (htmx swaps it
 * alone) renders through this both inside its table and alone, so the two never differ.
 */
export function TableRow<T>(props: {
  columns: Columns<T>;
  row: T;
  id?: string;
  class?: string;
  attrs?: Record<string, string>;
}) {
  return (
    <tr id={props.id} class={props.class} {...props.attrs}>
      {shownColumns(props.columns).map((c) => (
        <td class={classes(c.num && 'num', c.secondary && 'secondary', c.class)}>
          {c.href ? <a href={c.href(props.row)}>{c.cell(props.row)}</a> : c.cell(props.row)}
        </td>
      ))}
    </tr>
  );
}

/**
 * The list every page shows: a header row, one row per record, and an empty state that says
 * what to do next when there are none. `row` replaces the generated row where a row is a
 * partial of its own; `groups` gives each group its own body with a heading row; `footer`
 * holds the totals row(s).
 */
export function DataTable<T>(props: {
  columns: Columns<T>;
  /** The rows, or `groups` of them. */
  rows?: readonly T[];
  empty: { title: string; children?: ComponentChildren };
  caption?: string;
  /** Extra classes of the table (e.g. 'queue-table'). */
  class?: string;
  rowId?: (row: T) => string;
  row?: (row: T) => ComponentChildren;
  groups?: readonly { head: ComponentChildren; rows: readonly T[] }[];
  footer?: ComponentChildren;
}) {
  const columns = shownColumns(props.columns);
  const groups = props.groups ?? [{ head: null, rows: props.rows ?? [] }];
  if (groups.every((g) => g.rows.length === 0)) {
    return <EmptyState title={props.empty.title}>{props.empty.children}</EmptyState>;
  }
  const render = (r: T) => props.row?.(r) ?? <TableRow columns={columns} row={r} id={props.rowId?.(r)} />;
  return (
    <div class="table-wrap">
      <table class={classes('table', props.class)}>
        {props.caption && <caption class="visually-hidden">{props.caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" class={classes(c.num && 'num', c.secondary && 'secondary', c.headerClass)}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        {groups.map((g) => (
          <tbody>
            {g.head}
            {g.rows.map(render)}
          </tbody>
        ))}
        {props.footer && <tfoot>{props.footer}</tfoot>}
      </table>
    </div>
  );
}
