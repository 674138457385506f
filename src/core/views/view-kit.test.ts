import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { DataTable, TableRow, type Column, type Columns } from './data-table.tsx';
import { FormActions, PostForm } from './forms.tsx';
import type { TaskStatus } from '../tasks/runs.ts';
import { StatusBadge, TASK_RUN_STATUS } from './status-badge.tsx';

type Row = { id: string; name: string; amount: number };
const name: Column<Row> = { header: 'Name', cell: (r) => r.name };
const rows: Row[] = [
  { id: 'a', name: 'Acme', amount: 10 },
  { id: 'b', name: 'Globex <b>', amount: 20 },
];

describe('the view kit', () => {
  it('a table row rendered alone (an htmx swap) is byte for byte the row inside its table', () => {
    const columns: Columns<Row> = [
      { header: 'Name', cell: (r) => r.name },
      false,
      { header: 'Amount', num: true, class: 'nowrap', cell: (r) => r.amount },
    ];
    const row = (r: Row) => h(TableRow<Row>, { columns, row: r, id: `row-${r.id}` });
    const table = renderToString(h(DataTable<Row>, { columns, rows, row, empty: { title: 'None' } }));
    for (const r of rows) assert.ok(table.includes(renderToString(row(r))));
    assert.match(table, /<th scope="col" class="num">Amount<\/th>/);
    assert.match(table, /<td class="num nowrap">20<\/td>/);
    assert.equal((table.match(/<th /g) ?? []).length, 2, 'a column given as false is left out');
    assert.ok(table.includes('Globex &lt;b>'), 'cells are escaped');
  });

  it('no rows show the empty state instead of an empty table', () => {
    const html = renderToString(h(DataTable<Row>, { columns: [name], rows: [], empty: { title: 'No vendors yet' } }));
    assert.doesNotMatch(html, /<table/);
    assert.match(html, /No vendors yet/);
  });

  it('groups get a body each with their heading row, and the footer holds the totals', () => {
    const html = renderToString(
      h(DataTable<Row>, {
        columns: [name],
        groups: [{ head: h('tr', { class: 'group-row' }), rows }],
        footer: h('tr', { class: 'total' }),
        empty: { title: 'None' },
      }),
    );
    assert.match(html, /<tbody><tr class="group-row"><\/tr><tr>/);
    assert.match(html, /<tfoot><tr class="total"><\/tr><\/tfoot>/);
  });

  it('every posted form carries the CSRF token and a fresh one-time submission key', () => {
    const actions = h(FormActions, { submit: 'Save', secondary: { href: '/o/x', label: 'Cancel' } });
    const form = () =>
      renderToString(
        h(PostForm, { action: '/o/x/vendors', csrfToken: 'tok', class: 'stack', novalidate: true }, actions),
      );
    const html = form();
    assert.match(html, /^<form method="post" action="\/o\/x\/vendors" class="stack" novalidate>/);
    assert.match(html, /name="_csrf" value="tok"/);
    const key = (h: string) => /name="_submission" value="([^"]+)"/.exec(h)?.[1];
    assert.ok(key(html));
    assert.notEqual(key(html), key(form()), 'each rendering gets its own key');
  });

  it('a status reads the same words wherever it is shown', () => {
    assert.equal(
      renderToString(h(StatusBadge<TaskStatus>, { kind: TASK_RUN_STATUS, status: 'retrying' })),
      '<span class="badge badge-amber">Failed, will retry</span>',
    );
  });
});
