import type pg from 'pg';
import type { AdminNavGroup } from './admin/nav.tsx';
import type { AppServices } from './app-services.ts';
import type { Db } from './db/pool.ts';
import type { Role } from './roles.ts';
import type { TaskCatalog } from './tasks/tasks.ts';

/** Which roles each org policy action allows, gathered from every module's policy. */
export type AccessRules = ReadonlyMap<string, readonly Role[]>;

/** An entry of an org's main navigation; shown to the roles its policy action allows. */
export type NavItem = {
  label: string;
  /** The entry's address in an org: a module's path helper (`invoicePaths.list`). */
  path: (slug: string) => string;
  order: number;
  action: string;
  /** Pages used now and then (members, settings…) go under "More", keeping the bar short. */
  more?: boolean;
};

/**
 * What one app instance is made of, derived from its modules and settings: handed to every
 * route handler, so nothing about an app lives in a module-level variable and two apps with
 * different settings can run in one process.
 */
export type AppContext = AppServices & {
  db: Db;
  pool: pg.Pool;
  accessRules: AccessRules;
  tasks: TaskCatalog;
  nav: readonly NavItem[];
  /** The back-office lists by area (the staff home page links them). */
  adminNav: readonly AdminNavGroup[];
};
