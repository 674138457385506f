// The approval queue page: status tabs, filters, sorts and the rows.
import { CATEGORIES } from './categories.ts';
import { INVOICE_STATUSES, type InvoiceStatus } from './statuses.ts';
import { EmptyState } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Page } from '../../core/views/page.tsx';
import type { QueueQuery, QueueRow } from './queue.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import { PostButton, PostForm } from '../../core/views/forms.tsx';
import { orgPath, withQuery } from '../../core/http/paths.ts';
import { invoicePaths } from './paths.ts';
import { InvoiceRow, queueColumns } from './queue-row-views.tsx';
import { INVOICE_STATUS } from './status.ts';

type QueueData = {
  rows: QueueRow[];
  next: string | null;
  counts: Record<string, number>;
  vendors: { id: string; name: string }[];
  canApprove: boolean;
  canCreate: boolean;
  /** The "Export CSV" link: the same filters, as a file (exports module). */
  canExport: boolean;
};

/** The queue URL with some parameters changed (and the page cursor dropped unless given). */
function queueUrl(
  base: string,
  query: QueueQuery,
  change: Partial<Record<keyof QueueQuery, string | undefined>>,
): string {
  return withQuery(base, { ...query, after: undefined, ...change });
}

export function QueuePage({ ctx, data, query }: { ctx: PageContext; data: QueueData; query: QueueQuery }) {
  const slug = ctx.org?.slug ?? '';
  const base = invoicePaths.list(slug);
  const total = Object.values(data.counts).reduce((a, b) => a + b, 0);
  const current = query.status ?? 'all';
  const tabs: { key: InvoiceStatus | 'all'; label: string; n: number }[] = [
    { key: 'all', label: 'All', n: total },
    ...INVOICE_STATUSES.map((s) => ({ key: s, label: INVOICE_STATUS[s].label, n: data.counts[s] ?? 0 })),
  ];
  const filtered = Boolean(
    query.vendor || query.category || query.min || query.max || query.due_from || query.due_to || query.mine || query.q,
  );
  return (
    <Page
      ctx={ctx}
      title="Invoices"
      subtitle={
        data.canApprove
          ? 'Approve from the row; select several to approve them together.'
          : 'Every invoice of the organization, by due date.'
      }
      actions={
        <>
          {data.canExport && (
            <PostButton
              action={orgPath(slug, 'exports', 'invoices.csv')}
              csrfToken={ctx.csrfToken}
              class="inline-form"
              buttonClass="button button-ghost"
              label="Export CSV"
              hidden={{ ...query, sort: undefined, after: undefined }}
            />
          )}
          {data.canCreate && (
            <a class="button" href={invoicePaths.new(slug)}>
              New invoice
            </a>
          )}
        </>
      }
    >
      <nav class="tabs" aria-label="Invoice status">
        {tabs.map((t) => (
          <a
            href={queueUrl(base, query, { status: t.key === 'all' ? undefined : t.key })}
            aria-current={current === t.key ? 'page' : undefined}
          >
            {t.label} <span class="tab-count">{t.n.toLocaleString('en-GB')}</span>
          </a>
        ))}
      </nav>
      <form method="get" action={base} class="card filters">
        {query.status && <input type="hidden" name="status" value={query.status} />}
        <div class="filter-grid">
          <div class="field filter-search">
            <label for="f-q">Search</label>
            <input id="f-q" name="q" type="search" value={query.q ?? ''} placeholder="Number, description or vendor" />
          </div>
          <div class="field">
            <label for="f-vendor">Vendor</label>
            <select id="f-vendor" name="vendor">
              <option value="">Any vendor</option>
              {data.vendors.map((v) => (
                <option value={v.id} selected={v.id === query.vendor}>
                  {v.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-category">Category</label>
            <select id="f-category" name="category">
              <option value="">Any category</option>
              {CATEGORIES.map((c) => (
                <option value={c} selected={c === query.category}>
                  {c}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-min">Amount from</label>
            <input id="f-min" name="min" inputMode="decimal" value={query.min ?? ''} placeholder="0.00" />
          </div>
          <div class="field">
            <label for="f-max">to</label>
            <input id="f-max" name="max" inputMode="decimal" value={query.max ?? ''} placeholder="any" />
          </div>
          <div class="field">
            <label for="f-due-from">Due from</label>
            <input id="f-due-from" name="due_from" type="date" value={query.due_from ?? ''} />
          </div>
          <div class="field">
            <label for="f-due-to">Due until</label>
            <input id="f-due-to" name="due_to" type="date" value={query.due_to ?? ''} />
          </div>
          <div class="field">
            <label for="f-sort">Sort</label>
            <select id="f-sort" name="sort">
              {(
                [
                  ['due', 'Due date, soonest first'],
                  ['-due', 'Due date, latest first'],
                  ['-amount', 'Amount, largest first'],
                  ['amount', 'Amount, smallest first'],
                  ['-created', 'Newest first'],
                  ['created', 'Oldest first'],
                ] as const
              ).map(([value, label]) => (
                <option value={value} selected={(query.sort ?? 'due') === value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="filter-actions">
          {data.canApprove && (
            <label class="check-label">
              <input type="checkbox" name="mine" value="1" checked={query.mine === '1'} /> Waiting for me
            </label>
          )}
          <button class="button button-small" type="submit">
            Apply
          </button>
          {filtered && (
            <a class="button button-ghost button-small" href={queueUrl(base, {}, { status: query.status })}>
              Clear filters
            </a>
          )}
        </div>
      </form>
      <section class="card">
        {data.rows.length === 0 ? (
          <EmptyState title={filtered || query.status ? 'No invoices match' : 'No invoices yet'}>
            {filtered || query.status ? (
              'Try another status or clear the filters.'
            ) : data.canCreate ? (
              <a href={invoicePaths.new(slug)}>Record the first invoice</a>
            ) : (
              'Invoices your team records appear here.'
            )}
          </EmptyState>
        ) : (
          <>
            {data.canApprove && (
              <PostForm
                id="bulk-approve"
                action={invoicePaths.bulkApprove(slug)}
                csrfToken={ctx.csrfToken}
                class="bulk-bar"
              >
                <span class="muted small">Select invoices awaiting your approval, then</span>
                <button class="button button-small" type="submit">
                  Approve selected
                </button>
              </PostForm>
            )}
            <DataTable
              class="queue-table"
              columns={queueColumns(ctx, data.canApprove)}
              rows={data.rows}
              row={(row) => <InvoiceRow ctx={ctx} row={row} canApprove={data.canApprove} />}
              empty={{ title: 'No invoices match' }}
            />
            <div class="pager">
              {query.after && <a href={queueUrl(base, query, {})}>← First page</a>}
              {data.next && <a href={queueUrl(base, query, { after: data.next })}>Next {50} →</a>}
            </div>
          </>
        )}
      </section>
    </Page>
  );
}
