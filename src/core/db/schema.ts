import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Row types of the tables in migrations/*.sql: keep them in step with every migration. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export const ROLES = ['owner', 'admin', 'approver', 'accountant', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

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
}

export interface OrganizationsTable {
  id: string;
  name: string;
  slug: string;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface MembershipsTable {
  org_id: string;
  user_id: string;
  role: Role;
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
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Organization = Selectable<OrganizationsTable>;
export type TaskRun = Selectable<TaskRunsTable>;
export type MailMessage = Selectable<MailOutboxTable>;
