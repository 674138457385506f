import type { InvoiceStatus } from './statuses.ts';
import type { FormState } from '../../core/http/forms.ts';
import { orgPath } from '../../core/http/paths.ts';
import { formatMoney } from '../../core/money.ts';
import { Badge, Card, TextAreaField, Time } from '../../core/views/components.tsx';
import { FormActions, PostButton, PostForm } from '../../core/views/forms.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { invoicePaths } from './paths.ts';
import { INVOICE_STATUS } from './status.ts';
import type { PageContext } from '../../core/views/context.ts';
import { Page } from '../../core/views/page.tsx';
import type { InvoiceDetail, TimelineEntry } from './detail.ts';

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
    <PostButton
      action={props.action}
      csrfToken={props.ctx.csrfToken}
      class="inline-form"
      buttonClass={`button ${props.class ?? ''}`.trim()}
      label={props.label}
      confirm={props.confirm}
    />
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
  const slug = ctx.org?.slug ?? '';
  const at = (verb: Parameters<typeof invoicePaths.action>[2]) => invoicePaths.action(slug, inv.id, verb);
  const overdue = inv.status !== 'paid' && inv.due_date < todayIn(zone);
  const amount = formatMoney(inv.amount_minor, inv.currency, inv.minor_units);
  const reopenReject = Object.keys(props.rejectForm.errors).length > 0;
  return (
    <Page
      ctx={ctx}
      title={`Invoice ${inv.number}`}
      subtitle={`${inv.vendor_name} · ${amount}`}
      actions={
        <>
          {rights.edit && (
            <a class="button button-ghost" href={at('edit')}>
              Edit
            </a>
          )}
          {rights.submit && <ActionForm ctx={ctx} action={at('submit')} label="Submit for approval" />}
        </>
      }
    >
      <div class="grid-2">
        <Card title="Details" actions={<StatusBadge kind={INVOICE_STATUS} status={inv.status} />}>
          <dl class="meta">
            <dt>Vendor</dt>
            <dd>
              <a href={orgPath(slug, 'vendors', inv.vendor_id)}>{inv.vendor_name}</a>
            </dd>
            <dt>Amount</dt>
            <dd>
              <strong>{amount}</strong>
            </dd>
            <dt>Issued</dt>
            <dd>{formatDate(inv.issue_date)}</dd>
            <dt>Due</dt>
            <dd>
              {formatDate(inv.due_date)} {overdue && <Badge tone="red">Overdue</Badge>}
            </dd>
            <dt>Category</dt>
            <dd class="capitalize">{inv.category}</dd>
            <dt>Description</dt>
            <dd class="comment-body">{inv.description || <span class="muted">None</span>}</dd>
            <dt>Attachment</dt>
            <dd>
              {inv.attachment_key ? (
                <a href={at('attachment')}>
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
                  <a href={orgPath(slug, 'payouts', inv.payout_id)}>{inv.payout_reference}</a>
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
                  <Badge tone="green">Approved</Badge>
                </li>
              ))}
            </ul>
          ) : (
            inv.status === 'submitted' && <p class="muted">No approvals yet.</p>
          )}
          {rights.approveBlocker && <p class="hint">{rights.approveBlocker}</p>}
          {(rights.approve || rights.withdraw) && (
            <div class="form-actions invoice-actions">
              {rights.approve && <ActionForm ctx={ctx} action={at('approve')} label="Approve" />}
              {rights.withdraw && (
                <ActionForm
                  ctx={ctx}
                  action={at('withdraw')}
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
              <PostForm action={at('reject')} csrfToken={ctx.csrfToken} class="stack" novalidate>
                <TextAreaField
                  form={props.rejectForm}
                  name="reason"
                  label="Reason for rejecting"
                  rows={3}
                  maxLength={1000}
                  required
                  hint="The submitter sees this. Rejection is final."
                />
                <FormActions submit="Reject invoice" submitClass="button button-danger" />
              </PostForm>
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
          <PostForm action={at('comments')} csrfToken={ctx.csrfToken} class="stack" id="comment" novalidate>
            <TextAreaField
              form={props.commentForm}
              name="body"
              label="Add a comment"
              rows={3}
              maxLength={4000}
              required
            />
            <FormActions submit="Comment" submitClass="button button-small" />
          </PostForm>
        )}
      </Card>
    </Page>
  );
}
