import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, requireOrg, requireViewer } from '../../core/http/auth.ts';
import {
  BadRequestError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../core/http/errors.ts';
import { idParam } from '../../core/http/params.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { canExport } from '../exports/service.ts';
import { can } from './policy.ts';
import { approvalQueue, parseQueueQuery, queueRows } from './queue.ts';
import { BulkResultPage, InvoiceRow, QueuePage, type RowNotice } from './queue-views.tsx';
import { approveInvoice, bulkApprove, BULK_APPROVE_MAX, rejectInvoice } from './workflow.ts';

const bulkSchema = z.object({
  invoice: z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])),
});

export function registerInvoiceQueuePages(scope: FastifyInstance, db: Db): void {
  scope.get('/invoices', async (request, reply) => {
    const org = requireOrg(request);
    const { query, problems } = parseQueueQuery(request.query);
    const data = await approvalQueue(db, { userId: requireViewer(request).id }, org, query);
    const ctx = pageContext(request, reply);
    if (problems.length) ctx.flash.push({ kind: 'error', text: `Some filters were ignored: ${problems.join('; ')}.` });
    return sendHtml(
      reply,
      QueuePage({ ctx, data: { ...data, canExport: canExport(org, 'invoices') }, query }),
      problems.length ? 422 : 200,
    );
  });

  /**
   * An action taken from a queue row. With htmx the row comes back re-rendered in its new
   * state (with what happened, or why not); without it, the queue page with a flash message.
   * Refusals a person can run into in a live queue (someone else was faster, the limit
   * changed) are shown in the row; a role that may not approve at all gets 403.
   */
  const rowAction = async (
    request: FastifyRequest,
    reply: FastifyReply,
    act: (invoiceId: string) => Promise<string>,
  ) => {
    const org = requireOrg(request);
    const invoiceId = idParam(request.params, 'invoiceId');
    if (!can(org, 'invoice.approve')) throw new ForbiddenError();
    let notice: RowNotice;
    try {
      notice = { kind: 'success', text: await act(invoiceId) };
    } catch (err) {
      if (!(err instanceof DomainError) || err instanceof NotFoundError) throw err;
      notice = {
        kind: 'error',
        text: err instanceof ValidationError ? (Object.values(err.fieldErrors)[0] ?? err.message) : err.message,
      };
    }
    if (!request.headers['hx-request']) {
      flash(reply, notice.kind, notice.text);
      return reply.redirect(`/o/${org.slug}/invoices`, 303);
    }
    const [row] = await queueRows(db, { userId: requireViewer(request).id }, org, [invoiceId]);
    if (!row) throw new NotFoundError();
    return sendHtml(reply, InvoiceRow({ ctx: pageContext(request, reply), row, canApprove: true, notice }), 200, {
      partial: true,
    });
  };

  scope.post('/invoices/:invoiceId/row/approve', (request, reply) =>
    rowAction(request, reply, async (id) => {
      const r = await approveInvoice(
        db,
        { ...actorOf(request), userId: requireViewer(request).id },
        requireOrg(request),
        id,
      );
      return r.outcome === 'approved' ? `Approved.` : `Your approval is recorded (${r.approvals} of ${r.required}).`;
    }),
  );

  scope.post('/invoices/:invoiceId/row/reject', (request, reply) =>
    rowAction(request, reply, async (id) => {
      const reason = (request.body as { reason?: unknown } | undefined)?.reason;
      if (typeof reason !== 'string' || !reason.trim())
        throw new ValidationError({ reason: 'Say why it is rejected: the submitter sees the reason.' });
      await rejectInvoice(
        db,
        { ...actorOf(request), userId: requireViewer(request).id },
        requireOrg(request),
        id,
        reason,
      );
      return 'Rejected.';
    }),
  );

  scope.post('/invoices/bulk-approve', async (request, reply) => {
    const org = requireOrg(request);
    if (!can(org, 'invoice.approve')) throw new ForbiddenError();
    const parsed = bulkSchema.safeParse(request.body ?? {});
    if (!parsed.success || parsed.data.invoice.length === 0)
      throw new BadRequestError('Select at least one invoice to approve.');
    if (parsed.data.invoice.length > BULK_APPROVE_MAX)
      throw new BadRequestError(`Approve at most ${BULK_APPROVE_MAX} invoices at once.`);
    const results = await bulkApprove(
      db,
      { ...actorOf(request), userId: requireViewer(request).id },
      org,
      parsed.data.invoice,
    );
    return sendHtml(reply, BulkResultPage({ ctx: pageContext(request, reply), results }));
  });
}
