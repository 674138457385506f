import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../core/app-context.ts';
import type { ExportKind } from './kinds.ts';
import { requireActor, requireOrg } from '../../core/http/auth.ts';
import { orgIdParams, orgParams } from '../../core/http/params.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { CSV_TYPE, sendDownload, sendHtml } from '../../core/views/render.ts';
import { queueQuerySchema, type QueueQuery } from '../invoices/service.ts';
import { downloadExport, exportPreview, exportsOverview, exportStatus, startExport } from './service.ts';
import { ExportConfirmPage, ExportRow, ExportsPage } from './views.tsx';
import { exportPaths } from './paths.ts';
import { ORG_PARAM } from '../../core/http/paths.ts';

/**
 * The exports page (and its nav entry) and an export's own links are for anyone who may export something. The
 * policy has no such action, and export.invoices is given to exactly those roles (a test in
 * exports.test.ts holds it to that); the service still checks the export's own kind.
 */
export const MAY_EXPORT = 'export.invoices';

const exportParams = orgIdParams('exportId');

/** The queue's filters as the invoices export applies them: the export is in id order, so sort and page go. */
function invoiceFilters(query: QueueQuery): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([k, v]) => v !== undefined && k !== 'sort' && k !== 'after'));
}

/** A small export streams at once; a large one is built in the background and the page shows it. */
async function exportNow(
  request: FastifyRequest,
  reply: FastifyReply,
  { db, settings }: AppContext,
  kind: ExportKind,
  filters: Record<string, unknown>,
) {
  const org = requireOrg(request);
  const started = await startExport(db, requireActor(request), org, kind, filters, settings.exportDirectMaxRows);
  if (started.outcome === 'stream')
    return sendDownload(reply, { type: CSV_TYPE, name: started.filename, body: started.body });
  flash(
    reply,
    'info',
    `That is ${started.rows.toLocaleString('en-GB')} rows, so the file is being prepared. It appears here when it is ready, and can be downloaded for 24 hours.`,
  );
  return reply.redirect(exportPaths.list(org.slug), 303);
}

/**
 * A kind's export address: GET shows what the export will hold and a button (a link followed by a
 * crawler or another site makes nothing); POST, behind CSRF, makes it. For invoices the filters are
 * the approval queue's, checked by the queue's own schema: a malformed one is refused (400), not
 * dropped, so a filtered export never comes out unfiltered.
 */
function exportFileRoutes<S extends z.ZodType<Record<string, unknown>>>(
  kind: ExportKind,
  schema: S,
  filtersOf: (input: z.infer<S>) => Record<string, unknown>,
  /** A valid form to walk the route with (the access matrix). */
  example: Record<string, string>,
) {
  const url = exportPaths.file(ORG_PARAM, kind);
  return [
    route({
      method: 'GET',
      url,
      access: `export.${kind}`,
      params: orgParams,
      query: schema,
      handler: async (request, reply, { db, settings }) => {
        const filters = filtersOf(request.query as z.infer<S>);
        const org = requireOrg(request);
        const preview = await exportPreview(
          db,
          requireActor(request),
          org,
          kind,
          filters,
          settings.exportDirectMaxRows,
        );
        return sendHtml(reply, ExportConfirmPage({ ctx: pageContext(request, reply), kind, filters, ...preview }));
      },
    }),
    route({
      method: 'POST',
      url,
      access: `export.${kind}`,
      params: orgParams,
      body: schema,
      example: { body: example },
      handler: (request, reply, app) => exportNow(request, reply, app, kind, filtersOf(request.body as z.infer<S>)),
    }),
  ];
}

/** Exports of the org's data as CSV files: the page, each kind's download, a background file's row and download. */
export const exportRoutes = [
  route({
    method: 'GET',
    url: exportPaths.list(ORG_PARAM),
    access: MAY_EXPORT,
    params: orgParams,
    handler: async (request, reply, { db }) => {
      const data = await exportsOverview(db, requireActor(request), requireOrg(request));
      return sendHtml(reply, ExportsPage({ ctx: pageContext(request, reply), ...data }));
    },
  }),
  ...exportFileRoutes('invoices', queueQuerySchema, invoiceFilters, { status: 'submitted' }),
  ...exportFileRoutes('vendors', z.object({}), () => ({}), {}),
  ...exportFileRoutes('audit_log', z.object({}), () => ({}), {}),
  route({
    method: 'GET',
    url: exportPaths.row(ORG_PARAM, ':exportId'),
    access: MAY_EXPORT,
    params: exportParams,
    handler: async (request, reply, { db }) => {
      const e = await exportStatus(db, requireActor(request), requireOrg(request), request.params.exportId);
      return sendHtml(reply, ExportRow({ ctx: pageContext(request, reply), e }), 200, { partial: true });
    },
  }),
  route({
    method: 'GET',
    url: exportPaths.download(ORG_PARAM, ':exportId'),
    access: MAY_EXPORT,
    params: exportParams,
    handler: async (request, reply, { db, settings }) => {
      const file = await downloadExport(
        db,
        requireActor(request),
        requireOrg(request),
        request.params.exportId,
        settings.uploadDir,
      );
      return sendDownload(reply, { type: CSV_TYPE, name: file.filename, body: file.body, size: file.size });
    },
  }),
];
