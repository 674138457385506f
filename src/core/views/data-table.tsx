import type { ComponentChildren, VNode } from 'preact';
import { Badge, EmptyState } from './components.tsx';

export type Tone = 'neutral' | 'green' | 'red' | 'amber' | 'blue';

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
};

/**
 * The list every page shows: a header row, one row per record, and an empty state that says
 * what to do next when there are none. `row` replaces the generated row where a row is a
 * partial of its own (htmx swaps it alone).
 */
export function DataTable<T>(props: {
  columns: readonly Column<T>[];
  rows: readonly T[];
  empty: { title: string; children?: ComponentChildren };
  caption?: string;
  rowId?: (row: T) => string;
  row?: (row: T) => VNode;
}) {
  if (props.rows.length === 0) return <EmptyState title={props.empty.title}>{props.empty.children}</EmptyState>;
  const cls = (c: Column<T>) =>
    [c.num && 'num', c.secondary && 'secondary', c.class].filter(Boolean).join(' ') || undefined;
  return (
    <div class="table-wrap">
      <table class="table">
        {props.caption && <caption class="visually-hidden">{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th
                scope="col"
                class={[c.num && 'num', c.secondary && 'secondary'].filter(Boolean).join(' ') || undefined}
              >
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) =>
            props.row ? (
              props.row(r)
            ) : (
              <tr id={props.rowId?.(r)}>
                {props.columns.map((c) => (
                  <td class={cls(c)}>{c.cell(r)}</td>
                ))}
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A status kind: the words and the tone of each of its statuses, in one place. */
export type StatusKind<S extends string> = Record<S, { label: string; tone: Tone }>;

/** The badge of one status of a kind (invoice, payout, run, import…). */
export function StatusBadge<S extends string>({ kind, status }: { kind: StatusKind<S>; status: S }) {
  const s = kind[status];
  return <Badge tone={s.tone}>{s.label}</Badge>;
}
