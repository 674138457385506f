import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { appServices, type AppServices } from './core/app-services.ts';
import type { Settings } from './core/config/settings.ts';
import { createDb, createPool, type Db } from './core/db/pool.ts';
import type { RouteEntry } from './core/http/types.ts';
import { createHttpApp } from './core/http/app.ts';
import { registerRoute } from './core/http/routes.ts';
import { devMailboxRoutes } from './core/mail/routes.tsx';
import { appContext, buildCatalog, registerModuleRoutes, type ModuleDef } from './core/module.ts';
import { platformModule } from './core/platform.ts';
import { accountsModule } from './modules/accounts/module.ts';
import { dashboardModule } from './modules/dashboard/module.ts';
import { invoicesModule } from './modules/invoices/module.ts';
import { exportsModule } from './modules/exports/module.ts';
import { invitationsModule } from './modules/invitations/module.ts';
import { orgsModule } from './modules/orgs/module.ts';
import { orgScope } from './modules/orgs/routes.ts';
import { vendorsModule } from './modules/vendors/module.ts';
import { notificationsModule } from './modules/notifications/module.ts';
import { payoutsModule } from './modules/payouts/module.ts';
import { importsModule } from './modules/imports/module.ts';
import { reportsModule } from './modules/reports/module.ts';
import { staffModule } from './modules/staff/module.ts';
import { staffScope } from './modules/staff/service.ts';

/**
 * The modules the app is made of. Routes, navigation, policies, tasks, schedules and
 * cleanups are all derived from this list.
 */
export const MODULES: ModuleDef[] = [
  platformModule,
  accountsModule,
  orgsModule,
  dashboardModule,
  invitationsModule,
  vendorsModule,
  invoicesModule,
  payoutsModule,
  importsModule,
  exportsModule,
  reportsModule,
  notificationsModule,
  staffModule,
];

export const CATALOG = buildCatalog(MODULES);
/** Every background task the worker runs. */
export const TASKS = CATALOG.tasks.list;
/** Tasks the worker runs on a schedule (UTC). */
export const SCHEDULES = CATALOG.schedules;

/**
 * The whole web app: platform first, then each module's routes. Routes that act inside
 * an organization live in the one `/o/:org` scope, which checks membership first.
 */
export async function buildServer(deps: {
  settings: Settings;
  db: Db;
  pool: pg.Pool;
  /** Derived from `settings`; built here when not given (the runtime builds them once for web and worker). */
  services?: AppServices;
}): Promise<FastifyInstance> {
  const { db, pool } = deps;
  const context = appContext({ db, pool }, deps.services ?? appServices(deps.settings), CATALOG);
  const app = await createHttpApp(context);
  await registerModuleRoutes(app, CATALOG, context, {
    org: (scope) => orgScope(scope, db),
    staff: (scope) => staffScope(scope, db),
  });
  // One source of settings: the app's own (services), as every handler and the security headers read them.
  if (!context.settings.isProduction) for (const r of devMailboxRoutes) registerRoute(app, r, context, 'platform');
  return app;
}

/**
 * The route table as the app registers it (`ledgerworks routes`): built without connecting,
 * since no request is served.
 */
export async function routeTable(settings: Settings): Promise<RouteEntry[]> {
  const pool = createPool('postgres://unused@127.0.0.1:1/unused', 1, { error: () => undefined });
  const app = await buildServer({ settings: { ...settings, logLevel: 'silent' }, db: createDb(pool), pool });
  await app.ready();
  const rows = [...app.routeList].sort((x, y) => x.url.localeCompare(y.url) || x.method.localeCompare(y.method));
  await app.close();
  await pool.end();
  return rows;
}
