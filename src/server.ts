import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Settings } from './core/config/settings.ts';
import type { Db } from './core/db/pool.ts';
import { createHttpApp } from './core/http/app.ts';
import { configureMail, createTransport, deliverMail } from './core/mail/mail.ts';
import { configureSecretBox } from './core/security/secret-box.ts';
import { registerDevMailbox } from './core/mail/routes.tsx';
import { cleanup, PLATFORM_CLEANUPS, type Cleanup } from './core/tasks/housekeeping.ts';
import { registerTasks, type RunnableTask, type Schedule } from './core/tasks/tasks.ts';
import { registerAccountSettingsRoutes } from './modules/accounts/account-routes.ts';
import { registerEmailLinkRoutes } from './modules/accounts/email-link-routes.ts';
import { sendPasswordReset } from './modules/accounts/password-reset.ts';
import { registerAccountRoutes } from './modules/accounts/routes.ts';
import { registerSessions } from './modules/accounts/sessions.ts';
import { configureAccountLinks, sendWelcomeEmail } from './modules/accounts/tasks.ts';
import { registerLogInCodeRoutes, registerTwoFactorRoutes } from './modules/accounts/two-factor-routes.ts';
import { registerDashboardPage } from './modules/dashboard/routes.ts';
import { registerExportPages } from './modules/exports/routes.ts';
import { configureExports, deleteExpiredExports } from './modules/exports/service.ts';
import { buildExport } from './modules/exports/tasks.ts';
import { registerInvoiceQueuePages } from './modules/invoices/queue-routes.ts';
import { INVOICE_NOTICE_TASKS } from './modules/invoices/service.ts';
import { registerInvitationLinks, registerInvitationPages } from './modules/invitations/routes.ts';
import { registerInvoiceWorkflowPages } from './modules/invoices/workflow-routes.ts';
import { orgScope, registerOrgPages, registerOrgRoutes } from './modules/orgs/routes.ts';
import { dailyDigestSchedule, NOTIFICATION_TASKS } from './modules/notifications/service.ts';
import { registerPayoutPages } from './modules/payouts/routes.ts';
import { PAYOUT_NOTICE_TASKS } from './modules/payouts/service.ts';
import { registerInvoiceEditingPages } from './modules/invoices/editing-routes.ts';
import { registerVendorPages } from './modules/vendors/routes.ts';
import { configureImportFiles } from './modules/imports/files.ts';
import { registerImportPages } from './modules/imports/routes.ts';
import { applyImport, checkImport } from './modules/imports/tasks.ts';
import { registerReportPages } from './modules/reports/routes.ts';
import { enqueueMonthly, monthlyReportsSchedule } from './modules/reports/schedule.ts';
import { buildMonthly } from './modules/reports/tasks.ts';

/**
 * Nightly cleanups, each its own task and schedule (03:xx UTC). Another is one line here.
 */
const CLEANUPS: Cleanup[] = [
  ...PLATFORM_CLEANUPS,
  cleanup({
    name: 'exports.delete_expired',
    label: 'Delete expired export files',
    cron: '25 3 * * *',
    remove: deleteExpiredExports,
  }),
];

/** Tasks the worker runs on a schedule (UTC). */
export const SCHEDULES: Schedule[] = [dailyDigestSchedule, monthlyReportsSchedule, ...CLEANUPS.map((c) => c.schedule)];

/** Every background task the worker runs. */
export const TASKS: RunnableTask[] = [
  deliverMail,
  sendWelcomeEmail,
  sendPasswordReset,
  checkImport,
  applyImport,
  buildExport,
  buildMonthly,
  enqueueMonthly,
  ...NOTIFICATION_TASKS,
  ...INVOICE_NOTICE_TASKS,
  ...PAYOUT_NOTICE_TASKS,
  ...CLEANUPS.map((c) => c.task),
];
registerTasks(TASKS);

export function configureServices(settings: Settings): void {
  configureMail({ transport: createTransport(settings.smtpUrl), from: settings.mailFrom });
  configureAccountLinks(settings.baseUrl);
  configureSecretBox(settings.secretKey);
  configureImportFiles(settings.uploadDir);
  configureExports({ uploadDir: settings.uploadDir, directMaxRows: settings.exportDirectMaxRows });
}

/**
 * The whole web app: platform first, then each module's routes. Routes that act inside
 * an organization live in the one `/o/:org` scope, which checks membership first.
 */
export async function buildServer(deps: { settings: Settings; db: Db; pool: pg.Pool }): Promise<FastifyInstance> {
  const { settings, db } = deps;
  configureServices(settings);
  const app = await createHttpApp(deps);
  const sessionSettings = { idleMinutes: settings.sessionIdleMinutes, absoluteHours: settings.sessionAbsoluteHours };
  registerSessions(app, db, sessionSettings);
  registerAccountRoutes(app, db, sessionSettings);
  registerLogInCodeRoutes(app, db, sessionSettings);
  registerTwoFactorRoutes(app, db);
  registerAccountSettingsRoutes(app, db, sessionSettings);
  registerEmailLinkRoutes(app, db);
  registerOrgRoutes(app, db);
  registerInvitationLinks(app, db);
  await app.register(
    async (scope) => {
      orgScope(scope, db);
      registerDashboardPage(scope, db);
      registerOrgPages(scope, db);
      registerInvitationPages(scope, db);
      registerInvoiceQueuePages(scope, db);
      registerInvoiceWorkflowPages(scope, db);
      registerPayoutPages(scope, db);
      registerVendorPages(scope, db);
      registerExportPages(scope, db);
      registerReportPages(scope, db);
      await registerInvoiceEditingPages(scope, db, settings);
      await registerImportPages(scope, db);
    },
    { prefix: '/o/:org' },
  );
  if (!settings.isProduction) registerDevMailbox(app, db);
  return app;
}
