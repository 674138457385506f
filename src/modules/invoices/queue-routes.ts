import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../core/app-context.ts';
import { requireActor, requireOrg } from '../../core/http/auth.ts';
import { BadRequestError, DomainError, NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { orgIdParams, orgParams, recordId } from '../../core/http/params.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { canExport } from '../exports/service.ts';
import { approvalQueue, queueAddressSchema, queueRows } from './queue.ts';
import { BulkResultPage } from './bulk-result-views.tsx';
import { InvoiceRow, type RowNotice } from './queue-row-views.tsx';
import { QueuePage } from './queue-views.tsx';
import { approveInvoice } from './approve-invoice.ts';
import { bulkApprove, BULK_APPROVE_MAX } from './bulk-approve.ts';
import { rejectInvoice, rejectSchema } from './reject-invoice.ts';
import { invoicePaths } from './paths.ts';
import { ORG_PARAM } from '../../core/http/paths.ts';

const rowParams = orgIdParams('invoiceId');

const NONE_SELECTED = 'Select at least one invoice to approve.';
const bulkSchema = z.object({
  invoice: z
    .union([z.string(), z.array(z.string())], NONE_SELECTED)
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(
      z
        .array(recordId, 'Select invoices from the queue.')
        .min(1, NONE_SELECTED)
        .max(BULK_APPROVE_MAX, `Approve at most ${BULK_APPROVE_MAX} invoices at once.`),
    ),
});

/**
 * The answer to an action taken from a queue row. With htmx the row comes back re-rendered in
 * its new state with the notice (200, so that htmx swaps it in); without it, the queue page
 * with a flash message.
 */
async function rowReply(request: FastifyRequest, reply: FastifyReply, app: AppContext, id: string, notice: RowNotice) {
  const org = requireOrg(request);
  if (!request.headers['hx-request']) {
    flash(reply, notice.kind, notice.text);
    return reply.redirect(invoicePaths.list(org.slug), 303);
  }
  const [row] = await queueRows(app.db, requireActor(request), org, [id]);
  if (!row) throw new NotFoundError();
  return sendHtml(reply, InvoiceRow({ ctx: pageContext(request, reply), row, canApprove: true, notice }), 200, {
    partial: true,
  });
}

/**
 * Runs a row action. Refusals a person can run into in a live queue (someone else was faster,
 * the limit changed) are shown in the row; a role that may not approve at all got 403 before.
 */
async function rowAction(
  request: FastifyRequest,
  reply: FastifyReply,
  app: AppContext,
  id: string,
  act: () => Promise<string>,
) {
  let notice: RowNotice;
  try {
    notice = { kind: 'success', text: await act() };
  } catch (err) {
    if (!(err instanceof DomainError) || err instanceof NotFoundError) throw err;
    notice = {
      kind: 'error',
      text: err instanceof ValidationError ? (Object.values(err.fieldErrors)[0] ?? err.message) : err.message,
    };
  }
  return rowReply(request, reply, app, id, notice);
}

/** The approval queue, and the approvals and rejections taken from its rows. */
export const queueRoutes = [
  route({
    method: 'GET',
    url: invoicePaths.list(ORG_PARAM),
    access: 'invoice.view',
    params: orgParams,
    query: queueAddressSchema,
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const query = request.query;
      const data = await approvalQueue(db, requireActor(request), org, query);
      const ctx = pageContext(request, reply);
      return sendHtml(reply, QueuePage({ ctx, data: { ...data, canExport: canExport(org, 'invoices') }, query }));
    },
  }),
  route({
    method: 'POST',
    url: invoicePaths.row(ORG_PARAM, ':invoiceId', 'approve'),
    access: 'invoice.approve',
    params: rowParams,
    example: { body: {} },
    handler: (request, reply, app) =>
      rowAction(request, reply, app, request.params.invoiceId, async () => {
        const r = await approveInvoice(app.db, requireActor(request), requireOrg(request), request.params.invoiceId);
        return r.outcome === 'approved' ? `Approved.` : `Your approval is recorded (${r.approvals} of ${r.required}).`;
      }),
  }),
  route({
    method: 'POST',
    url: invoicePaths.row(ORG_PARAM, ':invoiceId', 'reject'),
    access: 'invoice.reject',
    params: rowParams,
    body: rejectSchema,
    example: { body: { reason: 'Looks wrong' } },
    // A missing reason is said in the row, like any other refusal there.
    invalid: (request, reply, app, form) =>
      rowReply(request, reply, app, rowParams.parse(request.params).invoiceId, {
        kind: 'error',
        text: form.errors.reason ?? 'Say why the invoice is rejected.',
      }),
    handler: (request, reply, app) =>
      rowAction(request, reply, app, request.params.invoiceId, async () => {
        const { invoiceId } = request.params;
        await rejectInvoice(app.db, requireActor(request), requireOrg(request), invoiceId, request.body.reason);
        return 'Rejected.';
      }),
  }),
  route({
    method: 'POST',
    url: invoicePaths.bulkApprove(ORG_PARAM),
    access: 'invoice.approve',
    params: orgParams,
    body: bulkSchema,
    example: { body: { invoice: ':invoiceId' } },
    invalid: (_request, _reply, _app, form) => {
      throw new BadRequestError(form.errors.invoice ?? NONE_SELECTED);
    },
    handler: async (request, reply, { db }) => {
      const results = await bulkApprove(db, requireActor(request), requireOrg(request), request.body.invoice);
      return sendHtml(reply, BulkResultPage({ ctx: pageContext(request, reply), results }));
    },
  }),
];
