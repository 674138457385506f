import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { EXPORT_KINDS, type ExportKind } from '../../core/db/schema.ts';
import { actorOf, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { BadRequestError } from '../../core/http/errors.ts';
import { idParam } from '../../core/http/params.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { parseQueueQuery } from '../invoices/service.ts';
import { downloadExport, exportsOverview, exportStatus, startExport, type OrgActor } from './service.ts';
import { ExportRow, ExportsPage, KIND_PATHS } from './views.tsx';

function exportActor(request: FastifyRequest): OrgActor {
  return { ...actorOf(request), userId: requireViewer(request).id };
}

/** Invoices export with the queue's filters (its query string, validated by the queue's own schema); the others take none. */
function filtersFor(kind: ExportKind, rawQuery: unknown): Record<string, unknown> {
  if (kind !== 'invoices') return {};
  const { query, problems } = parseQueueQuery(rawQuery);
  if (problems.length)
    throw new BadRequestError(
      `These filters could not be understood, so nothing was exported: ${problems.join('; ')}.`,
    );
  // The export is in id order (read in keyset batches), so the queue's sort and page do not apply.
  return Object.fromEntries(Object.entries(query).filter(([k, v]) => v !== undefined && k !== 'sort' && k !== 'after'));
}

function csvHeaders(reply: FastifyReply, filename: string): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store');
}

/** Export pages and downloads, registered inside the /o/:org scope. */
export function registerExportPages(scope: FastifyInstance, db: Db): void {
  scope.get('/exports', async (request, reply) => {
    const data = await exportsOverview(db, exportActor(request), requireOrg(request));
    return sendHtml(reply, ExportsPage({ ctx: pageContext(request, reply), ...data }));
  });

  for (const kind of EXPORT_KINDS) {
    scope.get(`/exports/${KIND_PATHS[kind]}`, async (request, reply) => {
      const org = requireOrg(request);
      const started = await startExport(db, exportActor(request), org, kind, filtersFor(kind, request.query));
      if (started.outcome === 'stream') return csvHeaders(reply, started.filename).send(started.body);
      flash(
        reply,
        'info',
        `That is ${started.rows.toLocaleString('en-GB')} rows, so the file is being prepared. It appears here when it is ready, and can be downloaded for 24 hours.`,
      );
      return reply.redirect(`/o/${org.slug}/exports`, 303);
    });
  }

  scope.get('/exports/:exportId/row', async (request, reply) => {
    const e = await exportStatus(db, exportActor(request), requireOrg(request), idParam(request.params, 'exportId'));
    return sendHtml(reply, ExportRow({ ctx: pageContext(request, reply), e }), 200, { partial: true });
  });

  scope.get('/exports/:exportId/download', async (request, reply) => {
    const file = await downloadExport(
      db,
      exportActor(request),
      requireOrg(request),
      idParam(request.params, 'exportId'),
    );
    return csvHeaders(reply, file.filename).header('content-length', file.size).send(file.body);
  });
}
