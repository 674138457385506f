import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Settings } from '../../core/config/settings.ts';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { NotFoundError, ValidationError } from '../../core/http/errors.ts';
import { formValues, parseForm, type FormState } from '../../core/http/forms.ts';
import { idParam } from '../../core/http/params.ts';
import { toDecimalString } from '../../core/money.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { contentDisposition } from '../../core/http/file-names.ts';
import { AttachmentStore, registerPdfUploads, uploadOf, uploadProblem } from './attachments.ts';
import {
  createInvoice,
  invoiceAttachment,
  invoiceForm,
  invoiceSchema,
  updateInvoice,
  type OrgActor,
} from './editing.ts';
import { InvoiceFormPage } from './editing-views.tsx';

function orgActor(request: FastifyRequest): OrgActor {
  return { ...actorOf(request), userId: requireViewer(request).id };
}

const REUPLOAD = 'Choose the PDF again: a file is not kept when the form has errors.';

/**
 * Creating and editing draft invoices, and their PDF (registered inside the org scope). The
 * routes live in a scope of their own that accepts multipart forms.
 */
export async function registerInvoiceEditingPages(scope: FastifyInstance, db: Db, settings: Settings): Promise<void> {
  const files = new AttachmentStore(settings.uploadDir);
  await scope.register(async (uploads) => {
    await registerPdfUploads(uploads, files);
    routes(uploads, db, files);
  });
}

function routes(scope: FastifyInstance, db: Db, files: AttachmentStore): void {
  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    invoiceId: string | null,
    form: FormState | null,
    status = 200,
  ) => {
    const data = await invoiceForm(db, orgActor(request), requireOrg(request), invoiceId);
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
      const preselected = data.vendors.find((v) => v.id === (request.query as { vendor?: string }).vendor);
      if (preselected)
        initial = { values: { vendor_id: preselected.id, currency: preselected.default_currency }, errors: {} };
    }
    return sendHtml(
      reply,
      InvoiceFormPage({
        ctx: pageContext(request, reply),
        form: form ?? initial,
        vendors: data.vendors,
        currencies: data.currencies,
        invoice: inv,
      }),
      status,
    );
  };

  /** Validates the form and its file together, so every problem shows at once. */
  const readForm = (request: FastifyRequest) => {
    const upload = uploadOf(request.body, 'attachment');
    const parsed = parseForm(invoiceSchema, request.body);
    const fileError = upload ? uploadProblem(upload) : null;
    if (parsed.ok && !fileError) return { ok: true as const, data: { ...parsed.data, attachment: upload } };
    const errors = {
      ...(parsed.ok ? {} : parsed.form.errors),
      ...(fileError ? { attachment: fileError } : upload ? { attachment: REUPLOAD } : {}),
    };
    return { ok: false as const, form: { values: formValues(request.body), errors } };
  };

  const refused = (request: FastifyRequest, err: ValidationError): FormState => ({
    values: formValues(request.body),
    errors: {
      ...err.fieldErrors,
      ...(uploadOf(request.body, 'attachment') && !err.fieldErrors.attachment ? { attachment: REUPLOAD } : {}),
    },
  });

  scope.get('/invoices/new', (request, reply) => formPage(request, reply, null, null));

  scope.post('/invoices', async (request, reply) => {
    const org = requireOrg(request);
    const form = readForm(request);
    if (!form.ok) return formPage(request, reply, null, form.form, 422);
    try {
      const r = await createInvoice(db, orgActor(request), org, form.data, files);
      flash(reply, 'success', `Invoice ${form.data.number} was saved as a draft.`);
      return await reply.redirect(`/o/${org.slug}/invoices/${r.id}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return formPage(request, reply, null, refused(request, err), 422);
    }
  });

  scope.get('/invoices/:invoiceId/edit', (request, reply) =>
    formPage(request, reply, idParam(request.params, 'invoiceId'), null),
  );

  scope.post('/invoices/:invoiceId/edit', async (request, reply) => {
    const org = requireOrg(request);
    const id = idParam(request.params, 'invoiceId');
    const form = readForm(request);
    if (!form.ok) return formPage(request, reply, id, form.form, 422);
    try {
      const r = await updateInvoice(db, orgActor(request), org, id, form.data, files);
      flash(
        reply,
        r.changed.length ? 'success' : 'info',
        r.changed.length ? `Invoice ${form.data.number} was saved.` : 'Nothing changed.',
      );
      return await reply.redirect(`/o/${org.slug}/invoices/${id}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return formPage(request, reply, id, refused(request, err), 422);
    }
  });

  scope.get('/invoices/:invoiceId/attachment', async (request, reply) => {
    const a = await invoiceAttachment(db, orgActor(request), requireOrg(request), idParam(request.params, 'invoiceId'));
    const stream = await files.open(a.key);
    if (!stream) {
      request.log.error({ key: a.key }, 'invoice attachment missing from the upload folder');
      throw new NotFoundError('The PDF of this invoice is missing. Attach it again.');
    }
    return reply
      .type('application/pdf')
      .header('content-disposition', contentDisposition(a.name))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(stream);
  });
}
