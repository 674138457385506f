// One row of the approval queue: rendered inside the queue page, and alone as the htmx answer to an action on it.
import { formatMoney } from '../../core/money.ts';
import { CsrfField, formatDay } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import type { QueueRow } from './queue.ts';
import { StatusBadge } from './status.tsx';

export type RowNotice = { kind: 'success' | 'error'; text: string };

/** One row of the queue; also sent alone as the htmx answer to an action on it. */
export function InvoiceRow({
  ctx,
  row,
  canApprove,
  notice,
}: {
  ctx: PageContext;
  row: QueueRow;
  canApprove: boolean;
  notice?: RowNotice;
}) {
  const base = `/o/${ctx.org?.slug ?? ''}/invoices/${row.id}`;
  const approvals = Number(row.approvals ?? 0);
  return (
    <tr id={`invoice-${row.id}`} class={row.overdue ? 'row-overdue' : undefined}>
      {canApprove && (
        <td class="check-cell">
          {row.can_approve && (
            <input
              type="checkbox"
              name="invoice"
              value={row.id}
              form="bulk-approve"
              aria-label={`Select invoice ${row.number}`}
            />
          )}
        </td>
      )}
      <td>
        <a href={base} class="strong-link">
          {row.number}
        </a>
        <div class="muted small">{row.vendor_name}</div>
      </td>
      <td class="nowrap">
        {formatDay(row.due_date)}
        {row.overdue && (
          <div>
            <span class="badge badge-red">overdue</span>
          </div>
        )}
      </td>
      <td class="num nowrap">{formatMoney(row.amount_minor, row.currency, row.minor_units)}</td>
      <td class="muted">{row.category}</td>
      <td>
        <StatusBadge status={row.status} />
        {row.status === 'submitted' && row.approvals_required > 1 && (
          <div class="muted small">
            {approvals} of {row.approvals_required} approvals
          </div>
        )}
        {notice && (
          <div class={notice.kind === 'error' ? 'row-notice row-notice-error' : 'row-notice'}>{notice.text}</div>
        )}
      </td>
      {canApprove && (
        <td class="actions-cell">
          {row.can_approve && (
            <div class="row-actions">
              <form
                method="post"
                action={`${base}/row/approve`}
                hx-post={`${base}/row/approve`}
                hx-target={`#invoice-${row.id}`}
                hx-swap="outerHTML"
              >
                <CsrfField token={ctx.csrfToken} />
                <button class="button button-small" type="submit">
                  Approve
                </button>
              </form>
              <details class="reject-box">
                <summary class="button button-ghost button-small">Reject</summary>
                <form
                  method="post"
                  action={`${base}/row/reject`}
                  hx-post={`${base}/row/reject`}
                  hx-target={`#invoice-${row.id}`}
                  hx-swap="outerHTML"
                  class="reject-form"
                >
                  <CsrfField token={ctx.csrfToken} />
                  <label class="visually-hidden" for={`reason-${row.id}`}>
                    Why is invoice {row.number} rejected?
                  </label>
                  <input
                    id={`reason-${row.id}`}
                    name="reason"
                    maxLength={1000}
                    placeholder="Reason (required)"
                    required
                  />
                  <button class="button button-danger button-small" type="submit">
                    Reject
                  </button>
                </form>
              </details>
            </div>
          )}
        </td>
      )}
    </tr>
  );
}
