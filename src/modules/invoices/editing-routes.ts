import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../core/app-context.ts';
import { requireActor, requireOrg } from '../../core/http/auth.ts';
import { NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { formValues, type FormState } from '../../core/http/forms.ts';
import { orgIdParams, orgParams, recordId } from '../../core/http/params.ts';
import { route, type Example, type MultipartSetup } from '../../core/http/routes.ts';
import { toDecimalString } from '../../core/money.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendDownload, sendHtml } from '../../core/views/render.ts';
import { AttachmentStore, pdfField, registerPdfUploads, uploadOf } from './attachments.ts';
import { createInvoice, invoiceAttachment, invoiceForm, invoiceSchema, updateInvoice } from './editing.ts';
import { InvoiceFormPage } from './editing-views.tsx';
import { invoicePaths } from './paths.ts';
import { ORG_PARAM } from '../../core/http/paths.ts';

/** Where this app keeps invoice PDFs (its settings' upload folder). */
function attachments(app: AppContext): AttachmentStore {
  return new AttachmentStore(app.settings.uploadDir);
}

/** The multipart parser of the invoice form, shared by the routes that receive it. */
const pdfUploads: MultipartSetup = (scope, app) => registerPdfUploads(scope, attachments(app));

const invoiceParams = orgIdParams('invoiceId');

/** The invoice form with its PDF: the fields and the file are validated together, so every problem shows at once. */
const invoiceFormSchema = invoiceSchema.extend({ attachment: pdfField });

const REUPLOAD = 'Choose the PDF again: a file is not kept when the form has errors.';

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

const example: Example = {
  body: {
    vendor_id: ':vendorId',
    number: 'EXAMPLE-1',
    issue_date: '2026-11-01',
    due_date: '2026-12-01',
    amount: '999.00',
    currency: 'EUR',
    description: '',
    category: 'other',
  },
  multipart: { field: 'attachment', filename: 'invoice.pdf', contentType: 'application/pdf', content: '%PDF-1.7\n' },
};

/** The form as sent, with a note on the file field: a chosen file is never kept across a refusal. */
function refusedForm(request: FastifyRequest, errors: Record<string, string>): FormState {
  const shown = { ...errors };
  if (uploadOf(request.body, 'attachment') && !shown.attachment) shown.attachment = REUPLOAD;
  return { values: formValues(request.body), errors: shown };
}

async function formPage(
  request: FastifyRequest,
  reply: FastifyReply,
  app: AppContext,
  invoiceId: string | null,
  opts: { form?: FormState; vendor?: string } = {},
) {
  const data = await invoiceForm(app.db, requireActor(request), requireOrg(request), invoiceId);
  const inv = data.invoice;
  let initial: FormState = { values: {}, errors: {} };
  if (inv) {
    const minor = data.currencies.find((c) => c.code === inv.currency)?.minor_units ?? 2;
    initial = {
      values: {
        vendor_id: inv.vendor_id,
        number: inv.number,
        issue_date: inv.issue_date,
        due_date: inv.due_date,
        amount: toDecimalString(inv.amount_minor, minor),
        currency: inv.currency,
        description: inv.description,
        category: inv.category,
      },
      errors: {},
    };
  } else {
    const preselected = data.vendors.find((v) => v.id === opts.vendor);
    if (preselected)
      initial = { values: { vendor_id: preselected.id, currency: preselected.default_currency }, errors: {} };
  }
  return sendHtml(
    reply,
    InvoiceFormPage({
      ctx: pageContext(request, reply),
      form: opts.form ?? initial,
      vendors: data.vendors,
      currencies: data.currencies,
      invoice: inv,
    }),
    opts.form ? 422 : 200,
  );
}

/** Creating and editing draft invoices, and their PDF. */
export const editingRoutes = [
  route({
    method: 'GET',
    url: invoicePaths.new(ORG_PARAM),
    access: 'invoice.create',
    params: orgParams,
    // A link from a vendor's page preselects it.
    query: z.object({ vendor: z.preprocess(blankToUndefined, recordId.optional()) }),
    handler: (request, reply, app) => formPage(request, reply, app, null, { vendor: request.query.vendor }),
  }),
  route({
    method: 'POST',
    url: invoicePaths.list(ORG_PARAM),
    access: 'invoice.create',
    params: orgParams,
    body: invoiceFormSchema,
    multipart: pdfUploads,
    example,
    invalid: (request, reply, app, form) =>
      formPage(request, reply, app, null, { form: refusedForm(request, form.errors) }),
    handler: async (request, reply, app) => {
      const org = requireOrg(request);
      try {
        const r = await createInvoice(app.db, requireActor(request), org, request.body, attachments(app));
        flash(reply, 'success', `Invoice ${request.body.number} was saved as a draft.`);
        return await reply.redirect(invoicePaths.detail(org.slug, r.id), 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return formPage(request, reply, app, null, { form: refusedForm(request, err.fieldErrors) });
      }
    },
  }),
  route({
    method: 'GET',
    url: invoicePaths.action(ORG_PARAM, ':invoiceId', 'edit'),
    access: 'invoice.edit',
    params: invoiceParams,
    handler: (request, reply, app) => formPage(request, reply, app, request.params.invoiceId),
  }),
  route({
    method: 'POST',
    url: invoicePaths.action(ORG_PARAM, ':invoiceId', 'edit'),
    access: 'invoice.edit',
    params: invoiceParams,
    body: invoiceFormSchema,
    multipart: pdfUploads,
    example,
    invalid: (request, reply, app, form) =>
      formPage(request, reply, app, invoiceParams.parse(request.params).invoiceId, {
        form: refusedForm(request, form.errors),
      }),
    handler: async (request, reply, app) => {
      const org = requireOrg(request);
      const id = request.params.invoiceId;
      try {
        const r = await updateInvoice(app.db, requireActor(request), org, id, request.body, attachments(app));
        flash(
          reply,
          r.changed.length ? 'success' : 'info',
          r.changed.length ? `Invoice ${request.body.number} was saved.` : 'Nothing changed.',
        );
        return await reply.redirect(invoicePaths.detail(org.slug, id), 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return formPage(request, reply, app, id, { form: refusedForm(request, err.fieldErrors) });
      }
    },
  }),
  route({
    method: 'GET',
    url: invoicePaths.action(ORG_PARAM, ':invoiceId', 'attachment'),
    access: 'invoice.view',
    params: invoiceParams,
    handler: async (request, reply, app) => {
      const a = await invoiceAttachment(app.db, requireActor(request), requireOrg(request), request.params.invoiceId);
      const stream = await attachments(app).open(a.key);
      if (!stream) {
        request.log.error({ key: a.key }, 'invoice attachment missing from the upload folder');
        throw new NotFoundError('The PDF of this invoice is missing. Attach it again.');
      }
      return sendDownload(reply, { type: 'application/pdf', name: a.name, body: stream });
    },
  }),
];
