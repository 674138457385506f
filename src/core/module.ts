// The module manifest. Each module says what it brings — routes with the access each needs,
// policy rules, navigation entries, tasks, schedules, cleanups — and the app is derived from
// the list of modules: nothing is registered as a side effect of importing a file.
import type { FastifyInstance } from 'fastify';
import type { AdminList } from './admin/list-types.ts';
import { adminNav, type AdminNavGroup, type AdminPage } from './admin/nav.tsx';
import { csvRoute } from './admin/list-csv.ts';
import { recordRoutes } from './admin/record-routes.ts';
import { listRoute } from './admin/routes.ts';
import type { AccessRules, AppContext, NavItem } from './app-context.ts';
import { actionNames, type AuditAction, type AuditActions } from './audit/actions.ts';
import type { AppServices } from './app-services.ts';
import type { PolicyRules } from './http/policy.ts';
import { checkDeclaration, isOrgUrl, registerRoute, type MultipartSetup, type RouteDef } from './http/routes.ts';
import { isStaffUrl } from './http/staff-access.ts';
import type { Cleanup } from './tasks/housekeeping.ts';
import { taskCatalog, type RunnableTask, type Schedule, type TaskCatalog } from './tasks/tasks.ts';

export type ModuleDef = {
  /** The folder name under src/modules (or 'platform' for core's own). */
  name: string;
  /** The module's policy rules (its policy.ts RULES): the permission table and route access read them. */
  policy?: PolicyRules;
  routes?: readonly RouteDef[];
  nav?: readonly NavItem[];
  tasks?: readonly RunnableTask[];
  schedules?: readonly Schedule[];
  /** Nightly cleanups: each brings its own task and schedule. */
  cleanups?: readonly Cleanup[];
  /** The audit actions the module writes (its audit.ts): each is declared by exactly one module. */
  auditActions?: readonly AuditActions[];
  /** The module's back-office lists (its admin.ts): core/admin renders each at /staff/<name>. */
  admin?: readonly AdminList[];
  /** Back-office pages that are not lists (the operations overview), in the navigation of their area. */
  adminPages?: readonly AdminPage[];
  /** Hooks every request passes through (the session lookup), added before any route. */
  requestHooks?: (app: FastifyInstance, context: AppContext) => void;
};

export function defineModule<M extends ModuleDef>(def: M): M {
  return def;
}

/** Everything the app is made of, derived from its modules and checked once. */
export type Catalog = {
  modules: readonly ModuleDef[];
  accessRules: AccessRules;
  tasks: TaskCatalog;
  schedules: readonly Schedule[];
  nav: readonly NavItem[];
  routes: readonly { module: string; route: RouteDef }[];
  /** Every audit action the modules write, with the module that declares it (the back-office filters by these). */
  auditActions: readonly { module: string; action: AuditAction }[];
  /** The back-office lists of every module, by area (their routes are in `routes`). */
  adminNav: readonly AdminNavGroup[];
};

/** Each module's back-office lists, refusing two lists of one name (they would share an address). */
function adminLists(modules: readonly ModuleDef[]): { module: string; list: AdminList }[] {
  const lists = modules.flatMap((m) => (m.admin ?? []).map((list) => ({ module: m.name, list })));
  const owner = new Map<string, string>();
  for (const { module, list } of lists) {
    const first = owner.get(list.name);
    if (first) throw new Error(`the admin list ${list.name} is declared twice (modules ${first} and ${module})`);
    owner.set(list.name, module);
  }
  return lists;
}

export function buildCatalog(modules: readonly ModuleDef[]): Catalog {
  const names = new Set<string>();
  const accessRules = new Map<string, PolicyRules[string]['roles']>();
  for (const m of modules) {
    if (names.has(m.name)) throw new Error(`two modules are named ${m.name}`);
    names.add(m.name);
    for (const [action, rule] of Object.entries(m.policy ?? {})) {
      if (accessRules.has(action)) throw new Error(`the policy action ${action} is declared twice (module ${m.name})`);
      accessRules.set(action, rule.roles);
    }
  }
  const lists = adminLists(modules);
  const nav = adminNav(
    lists.map((l) => l.list),
    modules.flatMap((m) => m.adminPages ?? []),
  );
  const routes = [
    ...modules.flatMap((m) => (m.routes ?? []).map((route) => ({ module: m.name, route }))),
    ...lists.map(({ module, list }) => ({ module, route: listRoute(list, nav) })),
    ...lists.flatMap(({ module, list }) =>
      list.record ? recordRoutes(list, list.record, nav).map((route) => ({ module, route })) : [],
    ),
    ...lists.flatMap(({ module, list }) => (list.csv ? [{ module, route: csvRoute(list, list.csv) }] : [])),
  ];
  const seen = new Set<string>();
  for (const { module, route } of routes) {
    checkDeclaration(route, accessRules, module);
    const key = `${route.method} ${route.url}`;
    if (seen.has(key)) throw new Error(`${key} is declared twice`);
    seen.add(key);
  }
  const orgNav = modules.flatMap((m) => m.nav ?? []).sort((a, b) => a.order - b.order);
  for (const entry of orgNav) {
    if (!accessRules.has(entry.action)) throw new Error(`nav entry ${entry.label}: no policy has ${entry.action}`);
  }
  const cleanups = modules.flatMap((m) => m.cleanups ?? []);
  const auditActions = modules.flatMap((m) =>
    actionNames(m.auditActions ?? []).map((action) => ({ module: m.name, action })),
  );
  const declaredBy = new Map<string, string>();
  for (const { module, action } of auditActions) {
    const first = declaredBy.get(action);
    if (first) throw new Error(`the audit action ${action} is declared twice (modules ${first} and ${module})`);
    declaredBy.set(action, module);
  }
  return {
    modules,
    accessRules,
    tasks: taskCatalog([...modules.flatMap((m) => m.tasks ?? []), ...cleanups.map((c) => c.task)]),
    schedules: [...modules.flatMap((m) => m.schedules ?? []), ...cleanups.map((c) => c.schedule)],
    nav: orgNav,
    routes,
    auditActions,
    adminNav: nav,
  };
}

/** The context of one app: its connections, what it derives from its settings, and what its modules declare. */
export function appContext(deps: Pick<AppContext, 'db' | 'pool'>, services: AppServices, catalog: Catalog): AppContext {
  return {
    ...deps,
    ...services,
    accessRules: catalog.accessRules,
    tasks: catalog.tasks,
    nav: catalog.nav,
    adminNav: catalog.adminNav,
  };
}

/** The hooks of the two guarded scopes: the org scope checks membership, the staff scope is the back-office's door. */
export type ScopeGuards = {
  org: (scope: FastifyInstance) => void;
  staff: (scope: FastifyInstance) => void;
};

/**
 * Adds the modules' request hooks, then every module's routes: those under /o/:org inside one scope whose guard
 * checks the membership first, those under /staff inside one scope whose guard lets only staff in, the others on
 * the app itself.
 */
export async function registerModuleRoutes(
  app: FastifyInstance,
  catalog: Catalog,
  context: AppContext,
  guards: ScopeGuards,
): Promise<void> {
  for (const m of catalog.modules) m.requestHooks?.(app, context);
  const org = catalog.routes.filter((r) => isOrgUrl(r.route.url));
  const staff = catalog.routes.filter((r) => isStaffUrl(r.route.url));
  await registerAll(
    app,
    catalog.routes.filter((r) => !org.includes(r) && !staff.includes(r)),
    context,
  );
  for (const [guard, routes] of [
    [guards.org, org],
    [guards.staff, staff],
  ] as const) {
    await app.register(async (scope) => {
      guard(scope);
      await registerAll(scope, routes, context);
    });
  }
}

/** Plain routes on `scope`; upload routes in one child scope per multipart setup. */
async function registerAll(scope: FastifyInstance, entries: Catalog['routes'], context: AppContext): Promise<void> {
  const uploads = new Map<MultipartSetup, Catalog['routes'][number][]>();
  for (const entry of entries) {
    const setup = entry.route.multipart;
    if (setup) uploads.set(setup, [...(uploads.get(setup) ?? []), entry]);
    else registerRoute(scope, entry.route, context, entry.module);
  }
  for (const [setup, group] of uploads) {
    await scope.register(async (child) => {
      await setup(child, context);
      for (const { module, route } of group) registerRoute(child, route, context, module);
    });
  }
}
