import type { Insertable, Selectable } from 'kysely';
import type {
  DB,
  ImportRejections,
  Imports,
  Invoices,
  Payouts,
  TaskRuns,
  Users,
  UserTokens,
  Vendors,
} from './generated.ts';

/**
 * The row types are generated from the migrated schema (npm run db:codegen writes generated.ts;
 * CI fails when it is out of date). This file names them for the rest of the code. The values
 * of enum-like columns (statuses, kinds) live with the module that owns them, derived from the
 * generated column types (core/db/values.ts); the roles, which core speaks in, in core/roles.ts.
 */
export type Database = DB;

export type InvoicesTable = Invoices;
export type ImportRejectionsTable = ImportRejections;
export type PayoutsTable = Payouts;
export type UserTokensTable = UserTokens;
export type VendorsTable = Vendors;

export type NewUser = Insertable<Users>;
export type TaskRun = Selectable<TaskRuns>;
export type Vendor = Selectable<Vendors>;
export type Invoice = Selectable<Invoices>;
export type Import = Selectable<Imports>;
