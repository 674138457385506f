import { z } from 'zod';
import { requireActor, requireOrg } from '../../core/http/auth.ts';
import { BadRequestError } from '../../core/http/errors.ts';
import { orgParams, orgSlug } from '../../core/http/params.ts';
import { route } from '../../core/http/routes.ts';
import { pageContext } from '../../core/views/context.ts';
import { flash } from '../../core/views/flash.ts';
import { CSV_TYPE, sendDownload, sendHtml } from '../../core/views/render.ts';
import { monthKey, monthLabel, monthSchema } from './month.ts';
import { monthlyReport, rebuildReport, reportCsv, reportsOverview } from './service.ts';
import { MonthlyReportPage, ReportsPage } from './views.tsx';
import { reportPaths } from './paths.ts';
import { ORG_PARAM } from '../../core/http/paths.ts';

/** The :month of a report URL ('2026-10'); anything else is a page that does not exist (404). */
const monthParams = z.object({ org: orgSlug, month: monthSchema });

const rebuildBody = z.object({ month: monthSchema });

/** Monthly reports: the list, a month's page and CSV, and a rebuild in the background. */
export const reportRoutes = [
  route({
    method: 'GET',
    url: reportPaths.list(ORG_PARAM),
    access: 'report.view',
    params: orgParams,
    handler: async (request, reply, { db }) => {
      const data = await reportsOverview(db, requireActor(request), requireOrg(request));
      return sendHtml(reply, ReportsPage({ ctx: pageContext(request, reply), ...data }));
    },
  }),
  route({
    method: 'GET',
    url: reportPaths.month(ORG_PARAM, ':month'),
    access: 'report.view',
    params: monthParams,
    handler: async (request, reply, { db }) => {
      const data = await monthlyReport(db, requireActor(request), requireOrg(request), request.params.month);
      return sendHtml(reply, MonthlyReportPage({ ctx: pageContext(request, reply), ...data }));
    },
  }),
  route({
    method: 'GET',
    url: reportPaths.csv(ORG_PARAM, ':month'),
    access: 'report.view',
    params: monthParams,
    handler: async (request, reply, { db }) => {
      const file = await reportCsv(db, requireActor(request), requireOrg(request), request.params.month);
      return sendDownload(reply, { type: CSV_TYPE, name: file.filename, body: file.body });
    },
  }),
  route({
    method: 'POST',
    url: reportPaths.rebuild(ORG_PARAM),
    access: 'report.rebuild',
    params: orgParams,
    body: rebuildBody,
    example: { body: { month: '2026-10' } },
    // The month comes from a month picker or a hidden field: a bad one is a malformed request (400).
    invalid: (_request, _reply, _app, form) => {
      throw new BadRequestError(form.errors.month ?? 'Choose a month, like 2026-10.');
    },
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const { month } = request.body;
      await rebuildReport(db, requireActor(request), org, month);
      flash(
        reply,
        'success',
        `The report for ${monthLabel(month)} is being built. Reload this page in a moment to see it.`,
      );
      return reply.redirect(reportPaths.month(org.slug, monthKey(month)), 303);
    },
  }),
];
