-- CSV imports of vendors and invoices: an uploaded file, its dry run (check) and its import.
-- The file stays under UPLOAD_DIR; this table records what became of it. Rejected rows are
-- kept with their line and reason so the person can fix and re-upload exactly those.

create table imports (
  org_id           uuid not null references organizations (id) on delete cascade,
  id               uuid not null default gen_random_uuid(),
  kind             text not null,
  status           text not null default 'uploaded',
  mode             text,
  file_key         text not null,
  file_name        text not null,
  file_size        bigint not null,
  -- What the uploader chose ('auto' until the check finds out), then what the check used.
  encoding         text not null default 'auto',
  delimiter        text not null default 'auto',
  header           text[],
  total_rows       integer not null default 0,
  valid_rows       integer not null default 0,
  rejected_rows    integer not null default 0,
  created_rows     integer not null default 0,
  skipped_existing integer not null default 0,
  -- Valid rows whose batch is committed: a retried import resumes after them.
  applied_rows     integer not null default 0,
  error            text,
  failed_stage     text,
  created_by       uuid references users (id) on delete set null,
  check_run_id     uuid,
  apply_run_id     uuid,
  created_at       timestamptz not null default now(),
  checked_at       timestamptz,
  imported_at      timestamptz,
  updated_at       timestamptz not null default now(),
  primary key (org_id, id),
  constraint imports_kind check (kind in ('vendors', 'invoices')),
  constraint imports_status check (status in ('uploaded', 'checking', 'checked', 'importing', 'imported', 'failed')),
  constraint imports_mode check (mode is null or mode in ('valid_rows', 'all_or_nothing')),
  constraint imports_encoding check (encoding in ('auto', 'utf-8', 'windows-1252')),
  constraint imports_delimiter check (delimiter in ('auto', ',', ';')),
  constraint imports_failed check ((status = 'failed') = (error is not null)),
  constraint imports_failed_stage check (failed_stage is null or failed_stage in ('check', 'apply')),
  constraint imports_counts check (total_rows >= 0 and valid_rows >= 0 and rejected_rows >= 0 and created_rows >= 0 and skipped_existing >= 0 and applied_rows >= 0)
);
create index imports_org_created_idx on imports (org_id, created_at desc);

create table import_rejections (
  org_id     uuid not null,
  import_id  uuid not null,
  line       integer not null,
  reason     text not null,
  raw        text not null,
  -- The row's cells as parsed (null when the line could not be split into the header's columns).
  fields     text[],
  primary key (org_id, import_id, line),
  foreign key (org_id, import_id) references imports (org_id, id) on delete cascade
);

alter table imports enable row level security;
create policy imports_tenant on imports using (org_id = app_current_org()) with check (org_id = app_current_org());
alter table import_rejections enable row level security;
create policy import_rejections_tenant on import_rejections using (org_id = app_current_org()) with check (org_id = app_current_org());

grant select, insert, update, delete on imports, import_rejections to ledgerworks_runtime;
