// The rows of a list page: its declared columns in a DataTable, or the empty state that says
// what to do (clear the filters, or where such records come from).
import { DataTable, type Column } from '../views/data-table.tsx';
import type { ListParams, ListView } from './list-types.ts';

export function isFiltered(params: ListParams): boolean {
  return !!params.q || Object.keys(params.filters).length > 0;
}

export function renderTable<Row>(
  decl: {
    title: string;
    columns: (view: ListView) => readonly Column<Row>[];
    empty: { title: string; hint: string };
  },
  rows: readonly Row[],
  params: ListParams,
  view: ListView,
) {
  const empty = isFiltered(params)
    ? {
        title: `No ${decl.title.toLowerCase()} match`,
        children: <p>Clear the filters, or search for something else.</p>,
      }
    : { title: decl.empty.title, children: <p>{decl.empty.hint}</p> };
  return <DataTable caption={decl.title} columns={decl.columns(view)} rows={rows} empty={empty} />;
}
