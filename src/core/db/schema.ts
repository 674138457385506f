import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Row types of the tables in migrations/*.sql: keep them in step with every migration. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export const ROLES = ['owner', 'admin', 'approver', 'accountant', 'member', 'viewer'] as const;
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

export const TASK_STATUSES = ['queued', 'running', 'retrying', 'succeeded', 'failed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  time_zone: Generated<string>;
  is_staff: Generated<boolean>;
  is_active: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  failed_logins: Generated<number>;
  lockouts: Generated<number>;
  locked_until: Timestamp | null;
  /** Sealed (see core/security/secret-box.ts), never the plain secret. */
  totp_secret: string | null;
  totp_enabled_at: Timestamp | null;
  totp_last_step: ColumnType<string | null, string | number | null, string | number | null>;
  password_changed_at: Timestamp | null;
  deactivated_at: Timestamp | null;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  slug: string;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  billing_email: string | null;
  default_currency: Generated<string>;
  /** Minor units of the default currency; invoices at or above it need two approvals. bigint: read as a string. */
  approval_threshold_minor: ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
  require_2fa: Generated<boolean>;
  bank_account_name: string | null;
  bank_iban: string | null;
  bank_bic: string | null;
}

export interface CurrenciesTable {
  code: string;
  name: string;
  minor_units: number;
}

export interface UserTokensTable {
  id_hash: Buffer;
  user_id: string;
  purpose: 'password_reset' | 'email_change' | 'email_change_report';
  new_email: string | null;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface RecoveryCodesTable {
  user_id: string;
  code_hash: Buffer;
  created_at: GeneratedTimestamp;
  used_at: Timestamp | null;
}

export interface InvitationsTable {
  org_id: string;
  id: Generated<string>;
  email: string;
  role: Role;
  token_hash: Buffer;
  invited_by: string | null;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
  last_sent_at: GeneratedTimestamp;
  send_count: Generated<number>;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
  declined_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface FormSubmissionsTable {
  key: string;
  user_id: string | null;
  method: string;
  path: string;
  created_at: GeneratedTimestamp;
  completed_at: Timestamp | null;
  status_code: number | null;
  location: string | null;
}

export interface MembershipsTable {
  org_id: string;
  user_id: string;
  role: Role;
  /** Minor units of the org's default currency; null: no limit. bigint: read as a string. */
  approval_limit_minor: ColumnType<
    string | null,
    string | number | bigint | null | undefined,
    string | number | bigint | null
  >;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface SessionsTable {
  id_hash: Buffer;
  user_id: string;
  last_org_id: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: GeneratedTimestamp;
  last_seen_at: GeneratedTimestamp;
  expires_at: Timestamp;
  public_id: Generated<string>;
}

export interface AuditLogTable {
  id: Generated<string>;
  org_id: string | null;
  actor_user_id: string | null;
  impersonator_user_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  changes: Json;
  request_id: string | null;
  ip: string | null;
  created_at: GeneratedTimestamp;
}

export interface TaskRunsTable {
  id: Generated<string>;
  org_id: string | null;
  task: string;
  status: Generated<TaskStatus>;
  input: Json;
  result: Json | null;
  error: string | null;
  attempts: Generated<number>;
  max_attempts: number;
  progress_done: number | null;
  progress_total: number | null;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  updated_at: GeneratedTimestamp;
  retry_of: string | null;
}

export interface MailOutboxTable {
  id: Generated<string>;
  dedupe_key: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  status: Generated<'queued' | 'sending' | 'sent' | 'failed'>;
  error: string | null;
  message_id: string | null;
  created_at: GeneratedTimestamp;
  sent_at: Timestamp | null;
}

export interface CspReportsTable {
  id: Generated<string>;
  received_at: GeneratedTimestamp;
  document_uri: string | null;
  blocked_uri: string | null;
  violated_directive: string | null;
  disposition: string | null;
  source_file: string | null;
  line_number: number | null;
  user_agent: string | null;
  raw: Json;
}

export interface WorkerHeartbeatsTable {
  worker_id: string;
  hostname: string;
  pid: number;
  started_at: GeneratedTimestamp;
  last_seen_at: GeneratedTimestamp;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: GeneratedTimestamp;
}

/** bigint columns: pg returns them as strings (exact); written from bigint, number or string. */
type BigIntColumn = ColumnType<string, string | number | bigint, string | number | bigint>;

export const INVOICE_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'scheduled', 'paid'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const CATEGORIES = [
  'software',
  'hardware',
  'services',
  'travel',
  'office',
  'marketing',
  'rent',
  'utilities',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const PAYOUT_STATUSES = ['pending', 'approved', 'paid', 'cancelled'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export interface VendorsTable {
  org_id: string;
  id: Generated<string>;
  name: string;
  tax_id: string;
  tax_id_normalized: ColumnType<string, never, never>;
  iban: string | null;
  bic: string | null;
  account_number: string | null;
  default_currency: string;
  email: string | null;
  archived_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** Dates (not timestamps) travel as 'YYYY-MM-DD' strings: no time zone can shift them. */
type DateColumn = ColumnType<string, string, string>;

export interface InvoicesTable {
  org_id: string;
  id: Generated<string>;
  vendor_id: string;
  number: string;
  issue_date: DateColumn;
  due_date: DateColumn;
  amount_minor: BigIntColumn;
  currency: string;
  description: Generated<string>;
  category: Category;
  status: Generated<InvoiceStatus>;
  approvals_required: Generated<number>;
  rejection_reason: string | null;
  payout_id: string | null;
  paid_at: Timestamp | null;
  created_by: string | null;
  submitted_by: string | null;
  submitted_at: Timestamp | null;
  decided_at: Timestamp | null;
  attachment_key: string | null;
  attachment_name: string | null;
  attachment_size: number | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface InvoiceTransitionsTable {
  from_status: InvoiceStatus;
  to_status: InvoiceStatus;
}

export interface InvoiceStatusHistoryTable {
  org_id: string;
  id: Generated<string>;
  invoice_id: string;
  from_status: InvoiceStatus | null;
  to_status: InvoiceStatus;
  actor_id: string | null;
  note: string | null;
  created_at: GeneratedTimestamp;
}

export interface InvoiceApprovalsTable {
  org_id: string;
  invoice_id: string;
  approver_id: string;
  created_at: GeneratedTimestamp;
}

export interface InvoiceCommentsTable {
  org_id: string;
  id: Generated<string>;
  invoice_id: string;
  author_id: string | null;
  body: string;
  created_at: GeneratedTimestamp;
}

export interface PayoutsTable {
  org_id: string;
  id: Generated<string>;
  reference: string;
  currency: string;
  status: Generated<PayoutStatus>;
  approvals_required: Generated<number>;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  approved_at: Timestamp | null;
  exported_at: Timestamp | null;
  paid_at: Timestamp | null;
  paid_by: string | null;
  bank_reference: string | null;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
  updated_at: GeneratedTimestamp;
}

export interface PayoutApprovalsTable {
  org_id: string;
  payout_id: string;
  approver_id: string;
  created_at: GeneratedTimestamp;
}

export interface PayoutTransitionsTable {
  from_status: PayoutStatus;
  to_status: PayoutStatus;
}

export interface PayoutStatusHistoryTable {
  org_id: string;
  id: Generated<string>;
  payout_id: string;
  from_status: PayoutStatus | null;
  to_status: PayoutStatus;
  actor_id: string | null;
  note: string | null;
  created_at: GeneratedTimestamp;
}

export const NOTIFICATION_KINDS = [
  'invoice_awaiting_approval',
  'invoice_approved',
  'invoice_rejected',
  'payout_awaiting_approval',
  'payout_paid',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_DELIVERIES = ['immediate', 'digest', 'off'] as const;
export type NotificationDelivery = (typeof NOTIFICATION_DELIVERIES)[number];

export interface NotificationPreferencesTable {
  user_id: string;
  kind: NotificationKind;
  delivery: NotificationDelivery;
  updated_at: GeneratedTimestamp;
}

export interface NotificationQueueTable {
  org_id: string;
  id: Generated<string>;
  user_id: string;
  kind: NotificationKind;
  dedupe_key: string;
  subject: string;
  body: string;
  link: string;
  created_at: GeneratedTimestamp;
  digested_at: Timestamp | null;
}

export interface InvoiceStatusCountsTable {
  org_id: string;
  status: InvoiceStatus;
  n: ColumnType<string, never, never>;
}

export const IMPORT_KINDS = ['vendors', 'invoices'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATUSES = ['uploaded', 'checking', 'checked', 'importing', 'imported', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export type ImportMode = 'valid_rows' | 'all_or_nothing';
export type ImportEncoding = 'auto' | 'utf-8' | 'windows-1252';
export type ImportDelimiter = 'auto' | ',' | ';';

export interface ImportsTable {
  org_id: string;
  id: Generated<string>;
  kind: ImportKind;
  status: Generated<ImportStatus>;
  mode: ImportMode | null;
  file_key: string;
  file_name: string;
  /** bigint: read as a string. */
  file_size: ColumnType<string, string | number, string | number>;
  encoding: Generated<ImportEncoding>;
  delimiter: Generated<ImportDelimiter>;
  header: string[] | null;
  total_rows: Generated<number>;
  valid_rows: Generated<number>;
  rejected_rows: Generated<number>;
  created_rows: Generated<number>;
  skipped_existing: Generated<number>;
  applied_rows: Generated<number>;
  error: string | null;
  failed_stage: 'check' | 'apply' | null;
  created_by: string | null;
  check_run_id: string | null;
  apply_run_id: string | null;
  created_at: GeneratedTimestamp;
  checked_at: Timestamp | null;
  imported_at: Timestamp | null;
  updated_at: GeneratedTimestamp;
}

export interface ImportRejectionsTable {
  org_id: string;
  import_id: string;
  line: number;
  reason: string;
  raw: string;
  fields: string[] | null;
}

export const EXPORT_KINDS = ['invoices', 'vendors', 'audit_log'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportStatus = 'streamed' | 'queued' | 'running' | 'ready' | 'expired';

export interface ExportsTable {
  org_id: string;
  id: Generated<string>;
  kind: ExportKind;
  filters: ColumnType<unknown, string | undefined, string>;
  status: Generated<ExportStatus>;
  run_id: string | null;
  file_key: string | null;
  row_count: number | null;
  size_bytes: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  finished_at: Timestamp | null;
  expires_at: Timestamp | null;
  downloaded_at: Timestamp | null;
}

export interface MonthlyReportsTable {
  org_id: string;
  /** The first day of the month, 'YYYY-MM-DD' (dates are read as strings). */
  month: string;
  data: Json;
  generated_at: GeneratedTimestamp;
}

export interface Database {
  users: UsersTable;
  organizations: OrganizationsTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  task_runs: TaskRunsTable;
  mail_outbox: MailOutboxTable;
  csp_reports: CspReportsTable;
  worker_heartbeats: WorkerHeartbeatsTable;
  schema_migrations: SchemaMigrationsTable;
  currencies: CurrenciesTable;
  user_tokens: UserTokensTable;
  recovery_codes: RecoveryCodesTable;
  invitations: InvitationsTable;
  form_submissions: FormSubmissionsTable;
  vendors: VendorsTable;
  invoices: InvoicesTable;
  invoice_status_counts: InvoiceStatusCountsTable;
  invoice_transitions: InvoiceTransitionsTable;
  invoice_status_history: InvoiceStatusHistoryTable;
  invoice_approvals: InvoiceApprovalsTable;
  invoice_comments: InvoiceCommentsTable;
  payouts: PayoutsTable;
  payout_approvals: PayoutApprovalsTable;
  payout_transitions: PayoutTransitionsTable;
  payout_status_history: PayoutStatusHistoryTable;
  notification_preferences: NotificationPreferencesTable;
  notification_queue: NotificationQueueTable;
  imports: ImportsTable;
  import_rejections: ImportRejectionsTable;
  exports: ExportsTable;
  monthly_reports: MonthlyReportsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Organization = Selectable<OrganizationsTable>;
export type TaskRun = Selectable<TaskRunsTable>;
export type MailMessage = Selectable<MailOutboxTable>;
export type Invitation = Selectable<InvitationsTable>;
export type Vendor = Selectable<VendorsTable>;
export type Invoice = Selectable<InvoicesTable>;
export type Payout = Selectable<PayoutsTable>;
export type Import = Selectable<ImportsTable>;
export type ImportRejection = Selectable<ImportRejectionsTable>;
export type Export = Selectable<ExportsTable>;
export type MonthlyReport = Selectable<MonthlyReportsTable>;
