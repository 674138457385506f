-- Platform foundation: people, organizations, sessions, audit, tasks, mail, CSP reports.
--
-- Roles (created once per cluster by `ledgerworks db-setup` or your DBA):
--   the owner role runs this file and owns every object;
--   ledgerworks_runtime (NOLOGIN, NOBYPASSRLS) is granted only what the app needs;
--   the app logs in as a member of ledgerworks_runtime.

-- The org and user of the current transaction, set with SET LOCAL by withOrg().
-- An unset setting reads as NULL, so a forgotten withOrg() sees no tenant rows at all.
create function app_current_org() returns uuid
  language sql stable
  as $$ select nullif(current_setting('app.org_id', true), '')::uuid $$;

create function app_current_user() returns uuid
  language sql stable
  as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;

create table users (
  id            uuid primary key default gen_random_uuid(),
  email         text not null,
  name          text not null,
  password_hash text not null,
  time_zone     text not null default 'UTC',
  is_staff      boolean not null default false,
  is_active     boolean not null default true,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  constraint users_email_normalized check (email = lower(btrim(email)) and email like '%_@_%'),
  constraint users_name_length check (char_length(name) between 1 and 200)
);
create unique index users_email_key on users (email);

create table organizations (
  id         uuid primary key default gen_random_uuid(),
  name       text not null,
  slug       text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint organizations_name_length check (char_length(name) between 1 and 200),
  constraint organizations_slug_format check (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$')
);
create unique index organizations_slug_key on organizations (slug);

create table memberships (
  org_id     uuid not null references organizations (id) on delete cascade,
  user_id    uuid not null references users (id) on delete cascade,
  role       text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, user_id),
  constraint memberships_role check (role in ('owner', 'admin', 'approver', 'accountant', 'member', 'viewer'))
);
create index memberships_user_idx on memberships (user_id);

create table sessions (
  id_hash      bytea primary key,
  user_id      uuid not null references users (id) on delete cascade,
  last_org_id  uuid references organizations (id) on delete set null,
  ip           inet,
  user_agent   text,
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at   timestamptz not null,
  constraint sessions_id_hash_length check (octet_length(id_hash) = 32)
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expires_idx on sessions (expires_at);

-- Append-only: the runtime role may INSERT and SELECT, nothing else (grants below).
-- org_id is NULL for events that belong to no organization (a failed login).
create table audit_log (
  id                   bigint generated always as identity primary key,
  org_id               uuid,
  actor_user_id        uuid,
  impersonator_user_id uuid,
  action               text not null,
  target_type          text,
  target_id            text,
  changes              jsonb not null default '{}',
  request_id           text,
  ip                   inet,
  created_at           timestamptz not null default now(),
  constraint audit_log_action_format check (action ~ '^[a-z_]+\.[a-z_.]+$')
);
create index audit_log_org_created_idx on audit_log (org_id, created_at desc, id desc);
create index audit_log_actor_idx on audit_log (actor_user_id, created_at desc);

create table task_runs (
  id             uuid primary key default gen_random_uuid(),
  org_id         uuid references organizations (id) on delete cascade,
  task           text not null,
  status         text not null default 'queued',
  input          jsonb not null default '{}',
  result         jsonb,
  error          text,
  attempts       integer not null default 0,
  max_attempts   integer not null,
  progress_done  integer,
  progress_total integer,
  created_by     uuid references users (id) on delete set null,
  created_at     timestamptz not null default now(),
  started_at     timestamptz,
  finished_at    timestamptz,
  updated_at     timestamptz not null default now(),
  constraint task_runs_status check (status in ('queued', 'running', 'retrying', 'succeeded', 'failed')),
  constraint task_runs_attempts check (attempts >= 0 and max_attempts >= 1),
  constraint task_runs_progress check (progress_done is null or (progress_done >= 0 and (progress_total is null or progress_done <= progress_total)))
);
create index task_runs_org_created_idx on task_runs (org_id, created_at desc);
create index task_runs_status_idx on task_runs (status) where status in ('queued', 'running', 'retrying');

-- Every message the app sends is recorded here first; dedupe_key makes a retried
-- task that "sends" the same message a no-op.
create table mail_outbox (
  id         uuid primary key default gen_random_uuid(),
  dedupe_key text not null,
  to_address text not null,
  subject    text not null,
  text_body  text not null,
  html_body  text,
  status     text not null default 'queued',
  error      text,
  message_id text,
  created_at timestamptz not null default now(),
  sent_at    timestamptz,
  constraint mail_outbox_status check (status in ('queued', 'sending', 'sent', 'failed'))
);
create unique index mail_outbox_dedupe_key on mail_outbox (dedupe_key);
create index mail_outbox_created_idx on mail_outbox (created_at desc);

create table csp_reports (
  id                 bigint generated always as identity primary key,
  received_at        timestamptz not null default now(),
  document_uri       text,
  blocked_uri        text,
  violated_directive text,
  disposition        text,
  source_file        text,
  line_number        integer,
  user_agent         text,
  raw                jsonb not null
);
create index csp_reports_received_idx on csp_reports (received_at desc);

create table worker_heartbeats (
  worker_id    text primary key,
  hostname     text not null,
  pid          integer not null,
  started_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now()
);

-- Row-level security: the second wall behind the app's own org scoping.
alter table organizations enable row level security;
create policy organizations_member on organizations
  using (
    id = app_current_org()
    or exists (select 1 from memberships m where m.org_id = organizations.id and m.user_id = app_current_user())
  )
  with check (id = app_current_org());

alter table memberships enable row level security;
-- A user also sees their own memberships in every org: that is how the org switcher works.
create policy memberships_tenant on memberships
  using (org_id = app_current_org() or user_id = app_current_user())
  with check (org_id = app_current_org());

alter table audit_log enable row level security;
-- Entries of no org (sign-in events) can be written from any context but read by no org.
create policy audit_log_tenant on audit_log
  using (org_id = app_current_org())
  with check (org_id is null or org_id = app_current_org());

alter table task_runs enable row level security;
-- Runs of no org (housekeeping) are visible only outside any org.
create policy task_runs_tenant on task_runs
  using (org_id is not distinct from app_current_org())
  with check (org_id is not distinct from app_current_org());

grant usage on schema public to ledgerworks_runtime;
grant execute on function app_current_org(), app_current_user() to ledgerworks_runtime;
grant select, insert, update, delete on users, organizations, memberships, sessions, task_runs, mail_outbox, worker_heartbeats to ledgerworks_runtime;
grant select, insert on audit_log, csp_reports to ledgerworks_runtime;
