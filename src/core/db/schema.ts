import type { Insertable, Selectable } from 'kysely';
import type {
  DB,
  Exports,
  ImportRejections,
  Imports,
  Invitations,
  Invoices,
  MailOutbox,
  Memberships,
  MonthlyReports,
  NotificationPreferences,
  Organizations,
  Payouts,
  TaskRuns,
  Users,
  UserTokens,
  Vendors,
} from './generated.ts';

/**
 * The row types are generated from the migrated schema (npm run db:codegen writes generated.ts;
 * CI fails when it is out of date). This file names them for the rest of the code and holds the
 * lists of values that enum-like columns take, each checked against the generated type.
 */
export type Database = DB;

/** Fails to compile unless `values` names exactly the values of the column type `T`. */
function valuesOf<T extends string>() {
  return <const L extends readonly T[]>(values: L & MissingValues<Exclude<T, L[number]>>): L => values;
}
type MissingValues<M> = [M] extends [never] ? unknown : { missing: M };

export const ROLES = valuesOf<Memberships['role']>()(['owner', 'admin', 'approver', 'accountant', 'member', 'viewer']);
export type Role = (typeof ROLES)[number];

/** One line per role, for role pickers. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'everything, including owners and settings',
  admin: 'members, invitations and settings',
  approver: 'approves invoices and payouts',
  accountant: 'prepares payouts',
  member: 'submits invoices',
  viewer: 'reads only',
};

export const TASK_STATUSES = valuesOf<Selectable<TaskRuns>['status']>()([
  'queued',
  'running',
  'retrying',
  'succeeded',
  'failed',
]);
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const INVOICE_STATUSES = valuesOf<Selectable<Invoices>['status']>()([
  'draft',
  'submitted',
  'approved',
  'rejected',
  'scheduled',
  'paid',
]);
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const CATEGORIES = valuesOf<Invoices['category']>()([
  'software',
  'hardware',
  'services',
  'travel',
  'office',
  'marketing',
  'rent',
  'utilities',
  'other',
]);
export type Category = (typeof CATEGORIES)[number];

export const PAYOUT_STATUSES = valuesOf<Selectable<Payouts>['status']>()(['pending', 'approved', 'paid', 'cancelled']);
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export const NOTIFICATION_KINDS = valuesOf<NotificationPreferences['kind']>()([
  'invoice_awaiting_approval',
  'invoice_approved',
  'invoice_rejected',
  'payout_awaiting_approval',
  'payout_paid',
]);
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_DELIVERIES = valuesOf<NotificationPreferences['delivery']>()(['immediate', 'digest', 'off']);
export type NotificationDelivery = (typeof NOTIFICATION_DELIVERIES)[number];

export const IMPORT_KINDS = valuesOf<Imports['kind']>()(['vendors', 'invoices']);
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATUSES = valuesOf<Selectable<Imports>['status']>()([
  'uploaded',
  'checking',
  'checked',
  'importing',
  'imported',
  'failed',
]);
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export type ImportMode = NonNullable<Imports['mode']>;
export type ImportEncoding = Selectable<Imports>['encoding'];
export type ImportDelimiter = Selectable<Imports>['delimiter'];

export const EXPORT_KINDS = valuesOf<Exports['kind']>()(['invoices', 'vendors', 'audit_log']);
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportStatus = Selectable<Exports>['status'];

export type InvoicesTable = Invoices;
export type ImportRejectionsTable = ImportRejections;
export type PayoutsTable = Payouts;
export type UserTokensTable = UserTokens;
export type VendorsTable = Vendors;

export type User = Selectable<Users>;
export type NewUser = Insertable<Users>;
export type Organization = Selectable<Organizations>;
export type TaskRun = Selectable<TaskRuns>;
export type MailMessage = Selectable<MailOutbox>;
export type Invitation = Selectable<Invitations>;
export type Vendor = Selectable<Vendors>;
export type Invoice = Selectable<Invoices>;
export type Payout = Selectable<Payouts>;
export type Import = Selectable<Imports>;
export type ImportRejection = Selectable<ImportRejections>;
export type Export = Selectable<Exports>;
export type MonthlyReport = Selectable<MonthlyReports>;
