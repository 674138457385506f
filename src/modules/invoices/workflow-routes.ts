import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../core/app-context.ts';
import type { UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { requireActor, requireOrg } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, type FormState } from '../../core/http/forms.ts';
import { orgIdParams } from '../../core/http/params.ts';
import { buttonRoute } from '../../core/http/button-route.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { InvoiceDetailPage } from './detail-views.tsx';
import { invoiceDetail } from './detail.ts';
import { addComment, commentSchema } from './add-comment.ts';
import { approveInvoice } from './approve-invoice.ts';
import { rejectInvoice, rejectSchema } from './reject-invoice.ts';
import { submitInvoice } from './submit-invoice.ts';
import { withdrawInvoice } from './withdraw-invoice.ts';
import { invoicePaths } from './paths.ts';
import type { InvoiceAction } from './policy.ts';
import { ORG_PARAM } from '../../core/http/paths.ts';

const invoiceParams = orgIdParams('invoiceId');

/** The invoice page, with the reject or comment form as sent when it is shown again (422). */
async function page(
  request: FastifyRequest,
  reply: FastifyReply,
  app: AppContext,
  forms: { reject?: FormState; comment?: FormState } = {},
) {
  const { invoiceId } = invoiceParams.parse(request.params);
  const detail = await invoiceDetail(app.db, requireActor(request), requireOrg(request), invoiceId);
  return sendHtml(
    reply,
    InvoiceDetailPage({
      ctx: pageContext(request, reply),
      detail,
      rejectForm: forms.reject ?? emptyForm,
      commentForm: forms.comment ?? emptyForm,
    }),
    forms.reject || forms.comment ? 422 : 200,
  );
}

function back(request: FastifyRequest, reply: FastifyReply, invoiceId: string, hash = '') {
  return reply.redirect(`${invoicePaths.detail(requireOrg(request).slug, invoiceId)}${hash}`, 303);
}

/** A button of the invoice page that moves it on (submit, withdraw, approve). */
function invoiceButton<R>(
  action: 'submit' | 'withdraw' | 'approve',
  access: InvoiceAction,
  run: (db: Db, actor: UserActor, org: OrgContext, invoiceId: string) => Promise<R>,
  message: (result: R) => string,
) {
  const url = invoicePaths.action(ORG_PARAM, ':invoiceId', action);
  return buttonRoute({ url, access, idParam: 'invoiceId', run, message, back: invoicePaths.detail });
}

/** The invoice page and the workflow's actions on it. */
export const workflowRoutes = [
  route({
    method: 'GET',
    url: invoicePaths.detail(ORG_PARAM, ':invoiceId'),
    access: 'invoice.view',
    params: invoiceParams,
    handler: (request, reply, app) => page(request, reply, app),
  }),
  invoiceButton(
    'submit',
    'invoice.create',
    submitInvoice,
    (r) =>
      `Invoice ${r.invoice.number} was submitted. It needs ${r.approvalsRequired === 2 ? 'two approvals (it is at or above the approval threshold)' : 'one approval'}.`,
  ),
  invoiceButton(
    'withdraw',
    'invoice.withdraw',
    withdrawInvoice,
    (r) =>
      `Invoice ${r.invoice.number} is a draft again.${r.approvalsRemoved ? ' Its approvals were removed; it needs approval again once resubmitted.' : ''}`,
  ),
  invoiceButton('approve', 'invoice.approve', approveInvoice, (r) =>
    r.outcome === 'approved'
      ? `Invoice ${r.invoice.number} is approved.`
      : `Your approval is recorded (${r.approvals} of ${r.required}). It needs another approver.`,
  ),
  route({
    method: 'POST',
    url: invoicePaths.action(ORG_PARAM, ':invoiceId', 'reject'),
    access: 'invoice.reject',
    params: invoiceParams,
    body: rejectSchema,
    example: { body: { reason: 'Not ours' } },
    invalid: (request, reply, app, form) => page(request, reply, app, { reject: form }),
    handler: async (request, reply, app) => {
      const { invoiceId } = request.params;
      try {
        const r = await rejectInvoice(
          app.db,
          requireActor(request),
          requireOrg(request),
          invoiceId,
          request.body.reason,
        );
        flash(reply, 'success', `Invoice ${r.invoice.number} was rejected.`);
        return await back(request, reply, invoiceId);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return page(request, reply, app, { reject: { values: formValues(request.body), errors: err.fieldErrors } });
      }
    },
  }),
  route({
    method: 'POST',
    url: invoicePaths.action(ORG_PARAM, ':invoiceId', 'comments'),
    access: 'invoice.comment',
    params: invoiceParams,
    body: commentSchema,
    example: { body: { body: 'Looks fine to me' } },
    invalid: (request, reply, app, form) => page(request, reply, app, { comment: form }),
    handler: async (request, reply, app) => {
      const { invoiceId } = request.params;
      try {
        await addComment(app.db, requireActor(request), requireOrg(request), invoiceId, request.body.body);
        flash(reply, 'success', 'Your comment was added.');
        return await back(request, reply, invoiceId, '#comment');
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return page(request, reply, app, { comment: { values: formValues(request.body), errors: err.fieldErrors } });
      }
    },
  }),
];
