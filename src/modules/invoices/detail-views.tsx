import type { InvoiceStatus } from './statuses.ts';
import type { FormState } from '../../core/http/forms.ts';
import { formatMoney } from '../../core/money.ts';
import { Badge, Card, CsrfField, PageHeader, TextAreaField, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';
import type { InvoiceDetail, TimelineEntry } from './detail.ts';

const STATUS_TONE: Record<InvoiceStatus, 'neutral' | 'green' | 'red' | 'amber' | 'blue'> = {
  draft: 'neutral',
  submitted: 'amber',
  approved: 'green',
  rejected: 'red',
  scheduled: 'blue',
  paid: 'green',
};

export function StatusBadge({ status }: { status: InvoiceStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{status}</Badge>;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

/** A calendar date ('2026-12-01') as "1 Dec 2026": no time zone can shift it. */
function formatDate(d: string): string {
  return dateFormat.format(new Date(`${d}T00:00:00Z`));
}

/** Today's calendar date where the viewer is. */
function todayIn(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

function ActionForm(props: { ctx: PageContext; action: string; label: string; class?: string; confirm?: string }) {
  return (
    <form method="post" action={props.action} class="inline-form" data-confirm={props.confirm}>
      <CsrfField token={props.ctx.csrfToken} />
      <button class={`button ${props.class ?? ''}`.trim()} type="submit">
        {props.label}
      </button>
    </form>
  );
}

const MOVE_LABEL: Record<InvoiceStatus, string> = {
  draft: 'withdrew it to draft',
  submitted: 'submitted it for approval',
  approved: 'approved it',
  rejected: 'rejected it',
  scheduled: 'put it in a payout',
  paid: 'marked it as paid',
};

function TimelineItem({ entry, zone }: { entry: TimelineEntry; zone: string }) {
  const who = entry.who ?? 'Someone';
  if (entry.kind === 'comment') {
    return (
      <li class="timeline-comment">
        <span class="timeline-who">{who}</span> commented
        <span class="timeline-when muted small">
          <Time value={entry.at} zone={zone} />
        </span>
        <p class="comment-body">{entry.body}</p>
      </li>
    );
  }
  return (
    <li class={entry.to === 'rejected' ? 'timeline-warn' : undefined}>
      <span class="timeline-who">{who}</span> {entry.from === null ? 'created it' : MOVE_LABEL[entry.to]}{' '}
      <span class="muted small">
        ({entry.from ?? 'new'} → {entry.to})
      </span>
      <span class="timeline-when muted small">
        <Time value={entry.at} zone={zone} />
      </span>
      {entry.note && <p class="comment-body">{entry.note}</p>}
    </li>
  );
}

export function InvoiceDetailPage(props: {
  ctx: PageContext;
  detail: InvoiceDetail;
  rejectForm: FormState;
  commentForm: FormState;
}) {
  const { ctx, detail } = props;
  const { invoice: inv, approvals, timeline, rights } = detail;
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const base = `/o/${ctx.org?.slug ?? ''}`;
  const here = `${base}/invoices/${inv.id}`;
  const overdue = inv.status !== 'paid' && inv.due_date < todayIn(zone);
  const amount = formatMoney(inv.amount_minor, inv.currency, inv.minor_units);
  const reopenReject = Object.keys(props.rejectForm.errors).length > 0;
  return (
    <Layout ctx={ctx} title={`Invoice ${inv.number}`}>
      <PageHeader
        title={`Invoice ${inv.number}`}
        subtitle={`${inv.vendor_name} · ${amount}`}
        actions={
          <>
            {rights.edit && (
              <a class="button button-ghost" href={`${here}/edit`}>
                Edit
              </a>
            )}
            {rights.submit && <ActionForm ctx={ctx} action={`${here}/submit`} label="Submit for approval" />}
          </>
        }
      />
      <div class="grid-2">
        <Card title="Details" actions={<StatusBadge status={inv.status} />}>
          <dl class="meta">
            <dt>Vendor</dt>
            <dd>
              <a href={`${base}/vendors/${inv.vendor_id}`}>{inv.vendor_name}</a>
            </dd>
            <dt>Amount</dt>
            <dd>
              <strong>{amount}</strong>
            </dd>
            <dt>Issued</dt>
            <dd>{formatDate(inv.issue_date)}</dd>
            <dt>Due</dt>
            <dd>
              {formatDate(inv.due_date)} {overdue && <Badge tone="red">overdue</Badge>}
            </dd>
            <dt>Category</dt>
            <dd class="capitalize">{inv.category}</dd>
            <dt>Description</dt>
            <dd class="comment-body">{inv.description || <span class="muted">None</span>}</dd>
            <dt>Attachment</dt>
            <dd>
              {inv.attachment_key ? (
                <a href={`${here}/attachment`}>
                  {inv.attachment_name}{' '}
                  <span class="muted small">({Math.max(1, Math.round((inv.attachment_size ?? 0) / 1024))} KB)</span>
                </a>
              ) : (
                <span class="muted">None</span>
              )}
            </dd>
            {inv.submitted_at && (
              <>
                <dt>Submitted</dt>
                <dd>
                  {inv.submitted_by_name ?? 'Someone'}, <Time value={inv.submitted_at} zone={zone} />
                </dd>
              </>
            )}
            {inv.payout_id && (
              <>
                <dt>Payout</dt>
                <dd>
                  <a href={`${base}/payouts/${inv.payout_id}`}>{inv.payout_reference}</a>
                </dd>
              </>
            )}
          </dl>
        </Card>
        <Card
          title="Approval"
          actions={
            inv.status === 'submitted' && (
              <strong class="small">{`${approvals.length} of ${inv.approvals_required} approvals`}</strong>
            )
          }
        >
          {inv.status === 'draft' && (
            <p class="muted">
              A draft. Once submitted, it needs {inv.approvals_required === 2 ? 'two approvals' : 'approval'} before it
              can be paid.
            </p>
          )}
          {inv.status === 'rejected' && (
            <div class="callout callout-danger" role="note">
              <p>
                <strong>Rejected.</strong> Reason:
              </p>
              <p class="comment-body">{inv.rejection_reason}</p>
            </div>
          )}
          {inv.approvals_required === 2 && inv.status === 'submitted' && (
            <p class="muted small">At or above the approval threshold: two different people approve it.</p>
          )}
          {approvals.length > 0 ? (
            <ul class="people">
              {approvals.map((a) => (
                <li>
                  <span class="people-main">
                    <strong>{a.approver_name ?? 'A former member'}</strong>
                    <span class="muted small">
                      approved <Time value={a.created_at} zone={zone} />
                    </span>
                  </span>
                  <Badge tone="green">approved</Badge>
                </li>
              ))}
            </ul>
          ) : (
            inv.status === 'submitted' && <p class="muted">No approvals yet.</p>
          )}
          {rights.approveBlocker && <p class="hint">{rights.approveBlocker}</p>}
          {(rights.approve || rights.withdraw) && (
            <div class="form-actions invoice-actions">
              {rights.approve && <ActionForm ctx={ctx} action={`${here}/approve`} label="Approve" />}
              {rights.withdraw && (
                <ActionForm
                  ctx={ctx}
                  action={`${here}/withdraw`}
                  label="Withdraw to draft"
                  class="button-ghost"
                  confirm="Withdraw this invoice? Approvals it has collected are removed."
                />
              )}
            </div>
          )}
          {rights.reject && (
            <details class="reject-box" open={reopenReject}>
              <summary class="button button-danger-ghost button-small">Reject…</summary>
              <form method="post" action={`${here}/reject`} class="stack" novalidate>
                <CsrfField token={ctx.csrfToken} />
                <TextAreaField
                  form={props.rejectForm}
                  name="reason"
                  label="Reason for rejecting"
                  rows={3}
                  maxLength={1000}
                  required
                  hint="The submitter sees this. Rejection is final."
                />
                <div class="form-actions">
                  <button class="button button-danger" type="submit">
                    Reject invoice
                  </button>
                </div>
              </form>
            </details>
          )}
        </Card>
      </div>
      <Card title="History">
        {timeline.length === 0 ? (
          <p class="muted">Nothing has happened to this invoice yet.</p>
        ) : (
          <ol class="timeline">
            {timeline.map((e) => (
              <TimelineItem entry={e} zone={zone} />
            ))}
          </ol>
        )}
        {rights.comment && (
          <form method="post" action={`${here}/comments`} class="stack" id="comment" novalidate>
            <CsrfField token={ctx.csrfToken} />
            <TextAreaField
              form={props.commentForm}
              name="body"
              label="Add a comment"
              rows={3}
              maxLength={4000}
              required
            />
            <div class="form-actions">
              <button class="button button-small" type="submit">
                Comment
              </button>
            </div>
          </form>
        )}
      </Card>
    </Layout>
  );
}
