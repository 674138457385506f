-- Data exports (CSV files of invoices, vendors, the audit log) and the monthly report.
--
-- Both are tenant-owned like every other table: org_id leads the primary key, row-level
-- security keeps each org to its own rows.

create table exports (
  org_id        uuid not null references organizations (id) on delete cascade,
  id            uuid not null default gen_random_uuid(),
  kind          text not null,
  -- The filters the export was asked with (the approval queue's query string for invoices).
  filters       jsonb not null default '{}',
  -- streamed: sent directly as the response; queued/running/ready: a file built by a task;
  -- expired: the file was deleted after expires_at.
  status        text not null default 'queued',
  run_id        uuid,
  file_key      text,
  row_count     integer,
  size_bytes    bigint,
  created_by    uuid references users (id) on delete set null,
  created_at    timestamptz not null default now(),
  finished_at   timestamptz,
  expires_at    timestamptz,
  downloaded_at timestamptz,
  primary key (org_id, id),
  constraint exports_kind check (kind in ('invoices', 'vendors', 'audit_log')),
  constraint exports_status check (status in ('streamed', 'queued', 'running', 'ready', 'expired')),
  constraint exports_ready check ((status = 'ready') = (file_key is not null)),
  constraint exports_ready_expires check (status <> 'ready' or expires_at is not null)
);
create index exports_org_created_idx on exports (org_id, created_at desc);
-- Housekeeping finds the files to delete without reading every org's exports.
create index exports_expires_idx on exports (expires_at) where file_key is not null;

create table monthly_reports (
  org_id       uuid not null references organizations (id) on delete cascade,
  -- The first day of the month reported on.
  month        date not null,
  -- Totals per vendor, category and currency (integer minor units as strings) and approval times.
  data         jsonb not null,
  generated_at timestamptz not null default now(),
  primary key (org_id, month),
  constraint monthly_reports_first_day check (extract(day from month) = 1)
);

alter table exports enable row level security;
create policy exports_tenant on exports using (org_id = app_current_org()) with check (org_id = app_current_org());
alter table monthly_reports enable row level security;
create policy monthly_reports_tenant on monthly_reports using (org_id = app_current_org()) with check (org_id = app_current_org());

grant select, insert, update, delete on exports, monthly_reports to ledgerworks_runtime;

-- Scheduled tasks run in no org, and row-level security shows them nothing: these two functions
-- give them just the ids they need to then work org by org (inside each org's own context).
create function expired_export_files() returns table (org_id uuid, id uuid, file_key text)
  language sql stable security definer set search_path = public
  as $$ select e.org_id, e.id, e.file_key from exports e where e.file_key is not null and e.expires_at < now() $$;

create function all_org_ids() returns setof uuid
  language sql stable security definer set search_path = public
  as $$ select o.id from organizations o order by o.id $$;

revoke execute on function expired_export_files(), all_org_ids() from public;
grant execute on function expired_export_files(), all_org_ids() to ledgerworks_runtime;
