import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { emptyForm, formValues, parseForm, type FormState } from '../../core/http/forms.ts';
import { idParam } from '../../core/http/params.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { InvoiceDetailPage } from './detail-views.tsx';
import { invoiceDetail } from './detail.ts';
import {
  addComment,
  approveInvoice,
  commentSchema,
  rejectInvoice,
  rejectSchema,
  submitInvoice,
  withdrawInvoice,
  type InvoiceActor,
} from './workflow.ts';

function invoiceActor(request: FastifyRequest): InvoiceActor {
  return { ...actorOf(request), userId: requireViewer(request).id };
}

/** The invoice detail page and the workflow's actions on it (registered inside the org scope). */
export function registerInvoiceWorkflowPages(scope: FastifyInstance, db: Db): void {
  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    forms: { reject?: FormState; comment?: FormState } = {},
    status = 200,
  ) => {
    const detail = await invoiceDetail(
      db,
      invoiceActor(request),
      requireOrg(request),
      idParam(request.params, 'invoiceId'),
    );
    return sendHtml(
      reply,
      InvoiceDetailPage({
        ctx: pageContext(request, reply),
        detail,
        rejectForm: forms.reject ?? emptyForm,
        commentForm: forms.comment ?? emptyForm,
      }),
      status,
    );
  };
  const back = (request: FastifyRequest, reply: FastifyReply, invoiceId: string, hash = '') =>
    reply.redirect(`/o/${requireOrg(request).slug}/invoices/${invoiceId}${hash}`, 303);

  scope.get('/invoices/:invoiceId', (request, reply) => page(request, reply));

  scope.post('/invoices/:invoiceId/submit', async (request, reply) => {
    const invoiceId = idParam(request.params, 'invoiceId');
    const r = await submitInvoice(db, invoiceActor(request), requireOrg(request), invoiceId);
    flash(
      reply,
      'success',
      `Invoice ${r.invoice.number} was submitted. It needs ${r.approvalsRequired === 2 ? 'two approvals (it is at or above the approval threshold)' : 'one approval'}.`,
    );
    return back(request, reply, invoiceId);
  });

  scope.post('/invoices/:invoiceId/withdraw', async (request, reply) => {
    const invoiceId = idParam(request.params, 'invoiceId');
    const r = await withdrawInvoice(db, invoiceActor(request), requireOrg(request), invoiceId);
    flash(
      reply,
      'success',
      `Invoice ${r.invoice.number} is a draft again.${r.approvalsRemoved ? ' Its approvals were removed; it needs approval again once resubmitted.' : ''}`,
    );
    return back(request, reply, invoiceId);
  });

  scope.post('/invoices/:invoiceId/approve', async (request, reply) => {
    const invoiceId = idParam(request.params, 'invoiceId');
    const r = await approveInvoice(db, invoiceActor(request), requireOrg(request), invoiceId);
    flash(
      reply,
      'success',
      r.outcome === 'approved'
        ? `Invoice ${r.invoice.number} is approved.`
        : `Your approval is recorded (${r.approvals} of ${r.required}). It needs another approver.`,
    );
    return back(request, reply, invoiceId);
  });

  scope.post('/invoices/:invoiceId/reject', async (request, reply) => {
    const invoiceId = idParam(request.params, 'invoiceId');
    const parsed = parseForm(rejectSchema, request.body);
    try {
      if (!parsed.ok) throw new ValidationError(parsed.form.errors);
      const r = await rejectInvoice(db, invoiceActor(request), requireOrg(request), invoiceId, parsed.data.reason);
      flash(reply, 'success', `Invoice ${r.invoice.number} was rejected.`);
      return await back(request, reply, invoiceId);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page(request, reply, { reject: { values: formValues(request.body), errors: err.fieldErrors } }, 422);
    }
  });

  scope.post('/invoices/:invoiceId/comments', async (request, reply) => {
    const invoiceId = idParam(request.params, 'invoiceId');
    const parsed = parseForm(commentSchema, request.body);
    try {
      if (!parsed.ok) throw new ValidationError(parsed.form.errors);
      await addComment(db, invoiceActor(request), requireOrg(request), invoiceId, parsed.data.body);
      flash(reply, 'success', 'Your comment was added.');
      return await back(request, reply, invoiceId, '#comment');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page(request, reply, { comment: { values: formValues(request.body), errors: err.fieldErrors } }, 422);
    }
  });
}
