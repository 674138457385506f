import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { actorOf, requireOrg, requireViewer } from '../../core/http/auth.ts';
import { BadRequestError, NotFoundError } from '../../core/http/errors.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { sendHtml } from '../../core/views/render.ts';
import { monthKey, monthLabel, parseMonth } from './month.ts';
import { monthlyReport, rebuildReport, reportCsv, reportsOverview, type OrgActor } from './service.ts';
import { MonthlyReportPage, ReportsPage } from './views.tsx';

function reportActor(request: FastifyRequest): OrgActor {
  return { ...actorOf(request), userId: requireViewer(request).id };
}

/** The :month of a report URL ('2026-10'); anything else is a page that does not exist. */
function monthParam(request: FastifyRequest): string {
  const month = parseMonth((request.params as { month?: unknown }).month);
  if (!month) throw new NotFoundError();
  return month;
}

/** Report pages, registered inside the /o/:org scope. */
export function registerReportPages(scope: FastifyInstance, db: Db): void {
  scope.get('/reports', async (request, reply) => {
    const data = await reportsOverview(db, reportActor(request), requireOrg(request));
    return sendHtml(reply, ReportsPage({ ctx: pageContext(request, reply), ...data }));
  });

  scope.get('/reports/:month', async (request, reply) => {
    const data = await monthlyReport(db, reportActor(request), requireOrg(request), monthParam(request));
    return sendHtml(reply, MonthlyReportPage({ ctx: pageContext(request, reply), ...data }));
  });

  scope.get('/reports/:month/csv', async (request, reply) => {
    const file = await reportCsv(db, reportActor(request), requireOrg(request), monthParam(request));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(file.body);
  });

  scope.post('/reports/rebuild', async (request, reply) => {
    const org = requireOrg(request);
    const month = parseMonth((request.body as { month?: unknown } | undefined)?.month);
    if (!month) throw new BadRequestError('Choose a month, like 2026-10.');
    await rebuildReport(db, reportActor(request), org, month);
    flash(
      reply,
      'success',
      `The report for ${monthLabel(month)} is being built. Reload this page in a moment to see it.`,
    );
    return reply.redirect(`/o/${org.slug}/reports/${monthKey(month)}`, 303);
  });
}
