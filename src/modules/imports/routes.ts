import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { ConflictError, ValidationError } from '../../core/http/errors.ts';
import { formValues, parseForm, type FormState } from '../../core/http/forms.ts';
import { idParam } from '../../core/http/params.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { contentDisposition } from '../../core/http/file-names.ts';
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
  type OrgActor,
} from './service.ts';
import { csvUploadOf, registerCsvUploads } from './upload.ts';
import { ImportPage, ImportProgress, ImportsPage } from './views.tsx';

function orgActor(request: FastifyRequest): OrgActor {
  return { ...actorOf(request), userId: requireViewer(request).id };
}

/** The import pages (inside the org scope), in a scope of their own that accepts multipart forms. */
export async function registerImportPages(scope: FastifyInstance, db: Db): Promise<void> {
  await scope.register(async (uploads) => {
    await registerCsvUploads(uploads);
    routes(uploads, db);
  });
}

function routes(scope: FastifyInstance, db: Db): void {
  const listPage = async (request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) => {
    const imports = await listImports(db, orgActor(request), requireOrg(request));
    return sendHtml(reply, ImportsPage({ ctx: pageContext(request, reply), form, imports }), status);
  };

  scope.get('/imports', (request, reply) =>
    listPage(request, reply, { values: { kind: 'invoices', encoding: 'auto', delimiter: 'auto' }, errors: {} }),
  );

  scope.post('/imports', async (request, reply) => {
    const org = requireOrg(request);
    const parsed = parseForm(uploadSchema, request.body);
    try {
      if (!parsed.ok) throw new ValidationError(parsed.form.errors);
      const r = await uploadImport(db, orgActor(request), org, parsed.data, csvUploadOf(request.body, 'file'));
      flash(reply, 'info', 'The file was uploaded. Its rows are being checked; nothing is imported yet.');
      return await reply.redirect(`/o/${org.slug}/imports/${r.id}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // A refused form is shown again; a viewer never gets here (the service refuses with 403 first).
      return listPage(request, reply, { values: formValues(request.body), errors: err.fieldErrors }, 422);
    }
  });

  scope.get('/imports/:importId', async (request, reply) => {
    const org = requireOrg(request);
    const data = await importDetail(db, orgActor(request), org, idParam(request.params, 'importId'));
    return sendHtml(
      reply,
      ImportPage({
        ctx: pageContext(request, reply),
        ...data,
        shown: REJECTIONS_SHOWN,
        canRetry: can(org, 'import.run'),
      }),
    );
  });

  scope.get('/imports/:importId/progress', async (request, reply) => {
    const org = requireOrg(request);
    const data = await importDetail(db, orgActor(request), org, idParam(request.params, 'importId'));
    return sendHtml(
      reply,
      ImportProgress({
        ctx: pageContext(request, reply),
        imp: data.imp,
        run: data.run,
        canRetry: can(org, 'import.run'),
      }),
      200,
      { partial: true },
    );
  });

  scope.get('/imports/:importId/rejections.csv', async (request, reply) => {
    const r = await rejectedRowsCsv(db, orgActor(request), requireOrg(request), idParam(request.params, 'importId'));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', contentDisposition(r.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(r.stream);
  });

  scope.post('/imports/:importId/apply', async (request, reply) => {
    const org = requireOrg(request);
    const id = idParam(request.params, 'importId');
    const parsed = parseForm(applySchema, request.body);
    try {
      if (!parsed.ok) throw new ConflictError(Object.values(parsed.form.errors)[0] ?? 'Choose how to import.');
      await startApply(db, orgActor(request), org, id, parsed.data.mode);
      flash(reply, 'info', 'The import has started.');
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      flash(reply, 'error', err.message);
    }
    return reply.redirect(`/o/${org.slug}/imports/${id}`, 303);
  });

  scope.post('/imports/:importId/retry', async (request, reply) => {
    const org = requireOrg(request);
    const id = idParam(request.params, 'importId');
    try {
      const r = await retryImport(db, orgActor(request), org, id);
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
    return reply.redirect(`/o/${org.slug}/imports/${id}`, 303);
  });
}
