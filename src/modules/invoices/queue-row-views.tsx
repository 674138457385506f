// One row of the approval queue: rendered inside the queue page, and alone as the htmx answer to an action on it.
import { formatMoney } from '../../core/money.ts';
import { Badge, formatDay } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { TableRow, type Columns } from '../../core/views/data-table.tsx';
import { PostForm } from '../../core/views/forms.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { invoicePaths } from './paths.ts';
import type { QueueRow } from './queue.ts';
import { INVOICE_STATUS } from './status.ts';

export type RowNotice = { kind: 'success' | 'error'; text: string };

/** The queue's columns; `notice` is what an action on the row just did (the row's htmx answer). */
export function queueColumns(ctx: PageContext, canApprove: boolean, notice?: RowNotice): Columns<QueueRow> {
  return [
    canApprove && {
      header: <span class="visually-hidden">Select</span>,
      class: 'check-cell',
      cell: (row) =>
        row.can_approve && (
          <input
            type="checkbox"
            name="invoice"
            value={row.id}
            form="bulk-approve"
            aria-label={`Select invoice ${row.number}`}
          />
        ),
    },
    {
      header: 'Invoice',
      cell: (row) => (
        <>
          <a href={invoicePaths.detail(ctx.org?.slug ?? '', row.id)} class="strong-link">
            {row.number}
          </a>
          <div class="muted small">{row.vendor_name}</div>
        </>
      ),
    },
    {
      header: 'Due',
      class: 'nowrap',
      cell: (row) => (
        <>
          {formatDay(row.due_date)}
          {row.overdue && (
            <div>
              <Badge tone="red">Overdue</Badge>
            </div>
          )}
        </>
      ),
    },
    {
      header: 'Amount',
      num: true,
      class: 'nowrap',
      cell: (row) => formatMoney(row.amount_minor, row.currency, row.minor_units),
    },
    { header: 'Category', class: 'muted', cell: (row) => row.category },
    {
      header: 'Status',
      cell: (row) => (
        <>
          <StatusBadge kind={INVOICE_STATUS} status={row.status} />
          {row.status === 'submitted' && row.approvals_required > 1 && (
            <div class="muted small">
              {Number(row.approvals ?? 0)} of {row.approvals_required} approvals
            </div>
          )}
          {notice && (
            <div class={notice.kind === 'error' ? 'row-notice row-notice-error' : 'row-notice'}>{notice.text}</div>
          )}
        </>
      ),
    },
    canApprove && {
      header: <span class="visually-hidden">Actions</span>,
      class: 'actions-cell',
      cell: (row) => row.can_approve && <RowActions ctx={ctx} row={row} />,
    },
  ];
}

/** One row of the queue; also sent alone as the htmx answer to an action on it. */
export function InvoiceRow(props: { ctx: PageContext; row: QueueRow; canApprove: boolean; notice?: RowNotice }) {
  const { row } = props;
  return (
    <TableRow
      columns={queueColumns(props.ctx, props.canApprove, props.notice)}
      row={row}
      id={`invoice-${row.id}`}
      class={row.overdue ? 'row-overdue' : undefined}
    />
  );
}

/** Approve, or reject with a reason: each answers with the row, swapped in place. */
function RowActions({ ctx, row }: { ctx: PageContext; row: QueueRow }) {
  const slug = ctx.org?.slug ?? '';
  const swap = (verb: 'approve' | 'reject') => ({
    'hx-post': invoicePaths.row(slug, row.id, verb),
    'hx-target': `#invoice-${row.id}`,
    'hx-swap': 'outerHTML',
  });
  return (
    <div class="row-actions">
      <PostForm action={invoicePaths.row(slug, row.id, 'approve')} csrfToken={ctx.csrfToken} attrs={swap('approve')}>
        <button class="button button-small" type="submit">
          Approve
        </button>
      </PostForm>
      <details class="reject-box">
        <summary class="button button-ghost button-small">Reject</summary>
        <PostForm
          action={invoicePaths.row(slug, row.id, 'reject')}
          csrfToken={ctx.csrfToken}
          class="reject-form"
          attrs={swap('reject')}
        >
          <label class="visually-hidden" for={`reason-${row.id}`}>
            Why is invoice {row.number} rejected?
          </label>
          <input id={`reason-${row.id}`} name="reason" maxLength={1000} placeholder="Reason (required)" required />
          <button class="button button-danger button-small" type="submit">
            Reject
          </button>
        </PostForm>
      </details>
    </div>
  );
}
