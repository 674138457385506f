import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { requireActor, requireOrg } from '../../core/http/auth.ts';
import { ConflictError, ValidationError } from '../../core/http/errors.ts';
import { formValues, type FormState } from '../../core/http/forms.ts';
import { orgIdParams, orgParams } from '../../core/http/params.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { CSV_TYPE, sendDownload, sendHtml } from '../../core/views/render.ts';
import { can } from './policy.ts';
import {
  applySchema,
  importDetail,
  listImports,
  rejectedRowsCsv,
  REJECTIONS_SHOWN,
  retryImport,
  startApply,
  uploadImport,
  uploadSchema,
} from './service.ts';
import { csvFileField, registerCsvUploads } from './upload.ts';
import { ImportPage, ImportProgress, ImportsPage } from './views.tsx';
import { importPaths } from './paths.ts';
import { ORG_PARAM } from '../../core/http/paths.ts';

const importParams = orgIdParams('importId');

/** The upload form: what the file holds and how to read it, and the file (streamed to a temporary file). */
const uploadBody = uploadSchema.extend({ file: csvFileField });

const NEW_UPLOAD: FormState = { values: { kind: 'invoices', encoding: 'auto', delimiter: 'auto' }, errors: {} };

async function listPage(request: FastifyRequest, reply: FastifyReply, db: Db, form: FormState, status = 200) {
  const imports = await listImports(db, requireActor(request), requireOrg(request));
  return sendHtml(reply, ImportsPage({ ctx: pageContext(request, reply), form, imports }), status);
}

/** One import as its page and its progress show it, and whether the person may retry it. */
async function importView(request: FastifyRequest, reply: FastifyReply, db: Db, importId: string) {
  const org = requireOrg(request);
  const data = await importDetail(db, requireActor(request), org, importId);
  return { ctx: pageContext(request, reply), data, canRetry: can(org, 'import.run') };
}

/** CSV imports of vendors and invoices: upload, check in the background, apply, retry, the rejected rows. */
export const importRoutes = [
  route({
    method: 'GET',
    url: importPaths.list(ORG_PARAM),
    access: 'import.run',
    params: orgParams,
    handler: (request, reply, { db }) => listPage(request, reply, db, NEW_UPLOAD),
  }),
  route({
    method: 'POST',
    url: importPaths.list(ORG_PARAM),
    access: 'import.run',
    params: orgParams,
    multipart: registerCsvUploads,
    body: uploadBody,
    example: {
      body: { kind: 'invoices', encoding: 'auto', delimiter: 'auto' },
      multipart: {
        field: 'file',
        filename: 'invoices.csv',
        contentType: 'text/csv',
        content: 'vendor_tax_id,number,issue_date,due_date,amount,currency,category,description\n',
      },
    },
    invalid: (request, reply, { db }, form) => listPage(request, reply, db, form, 422),
    handler: async (request, reply, { db, settings }) => {
      const org = requireOrg(request);
      try {
        const r = await uploadImport(
          db,
          requireActor(request),
          org,
          request.body,
          request.body.file,
          settings.uploadDir,
        );
        flash(reply, 'info', 'The file was uploaded. Its rows are being checked; nothing is imported yet.');
        return await reply.redirect(importPaths.detail(org.slug, r.id), 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        // A refused file is shown again with the form; a viewer never gets here (403 before the handler).
        return listPage(request, reply, db, { values: formValues(request.body), errors: err.fieldErrors }, 422);
      }
    },
  }),
  route({
    method: 'GET',
    url: importPaths.detail(ORG_PARAM, ':importId'),
    access: 'import.run',
    params: importParams,
    handler: async (request, reply, { db }) => {
      const { data, ...view } = await importView(request, reply, db, request.params.importId);
      return sendHtml(reply, ImportPage({ ...view, ...data, shown: REJECTIONS_SHOWN }));
    },
  }),
  // The progress part of the import's page, polled by htmx while the check or the import runs.
  route({
    method: 'GET',
    url: importPaths.progress(ORG_PARAM, ':importId'),
    access: 'import.run',
    params: importParams,
    handler: async (request, reply, { db }) => {
      const { data, ...view } = await importView(request, reply, db, request.params.importId);
      return sendHtml(reply, ImportProgress({ ...view, imp: data.imp, run: data.run }), 200, { partial: true });
    },
  }),
  route({
    method: 'GET',
    url: importPaths.rejections(ORG_PARAM, ':importId'),
    access: 'import.run',
    params: importParams,
    handler: async (request, reply, { db }) => {
      const r = await rejectedRowsCsv(db, requireActor(request), requireOrg(request), request.params.importId);
      return sendDownload(reply, { type: CSV_TYPE, name: r.fileName, body: r.stream });
    },
  }),
  route({
    method: 'POST',
    url: importPaths.action(ORG_PARAM, ':importId', 'apply'),
    access: 'import.run',
    params: importParams,
    body: applySchema,
    example: { body: { mode: 'valid_rows' } },
    // No choice made: the import page says so (the form is a pair of buttons, not fields to correct).
    invalid: (request, reply, _app, form) => {
      const { org, importId } = importParams.parse(request.params);
      flash(reply, 'error', Object.values(form.errors)[0] ?? 'Choose how to import.');
      return reply.redirect(importPaths.detail(org, importId), 303);
    },
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      try {
        await startApply(db, requireActor(request), org, request.params.importId, request.body.mode);
        flash(reply, 'info', 'The import has started.');
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        flash(reply, 'error', err.message);
      }
      return reply.redirect(importPaths.detail(org.slug, request.params.importId), 303);
    },
  }),
  route({
    method: 'POST',
    url: importPaths.action(ORG_PARAM, ':importId', 'retry'),
    access: 'import.run',
    params: importParams,
    example: { body: {} },
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      try {
        const r = await retryImport(db, requireActor(request), org, request.params.importId);
        flash(
          reply,
          'info',
          r.stage === 'check'
            ? 'The check runs again.'
            : 'The import runs again; it goes on after the rows already imported.',
        );
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        flash(reply, 'error', err.message);
      }
      return reply.redirect(importPaths.detail(org.slug, request.params.importId), 303);
    },
  }),
];
