-- Notifications: how each person wants to hear about workflow events, and the items a
-- daily digest collects for those who chose it. Plus what housekeeping needs to delete.

-- One row per person and kind they changed; a missing row means 'immediate'.
create table notification_preferences (
  user_id    uuid not null references users (id) on delete cascade,
  kind       text not null,
  delivery   text not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, kind),
  constraint notification_preferences_kind check (kind in ('invoice_awaiting_approval', 'invoice_approved', 'invoice_rejected', 'payout_awaiting_approval', 'payout_paid')),
  constraint notification_preferences_delivery check (delivery in ('immediate', 'digest', 'off'))
);

alter table notification_preferences enable row level security;
-- A person reads and changes their own preferences (the /account pages run outside any org).
create policy notification_preferences_own on notification_preferences
  using (user_id = app_current_user())
  with check (user_id = app_current_user());
-- An org's notification task reads the preferences of that org's members, never changes them.
create policy notification_preferences_org_members on notification_preferences for select
  using (exists (select 1 from memberships m where m.org_id = app_current_org() and m.user_id = notification_preferences.user_id));

-- Items waiting for a person's daily digest. Written by the org's notification task (org
-- context); read and marked digested by the digest task on behalf of the person (user context).
create table notification_queue (
  org_id      uuid not null references organizations (id) on delete cascade,
  id          uuid not null default gen_random_uuid(),
  user_id     uuid not null references users (id) on delete cascade,
  kind        text not null,
  -- The same key as the immediate mail would have had: a retried task adds no second item.
  dedupe_key  text not null,
  subject     text not null,
  body        text not null,
  link        text not null,
  created_at  timestamptz not null default now(),
  digested_at timestamptz,
  primary key (org_id, id),
  constraint notification_queue_kind check (kind in ('invoice_awaiting_approval', 'invoice_approved', 'invoice_rejected', 'payout_awaiting_approval', 'payout_paid'))
);
create unique index notification_queue_dedupe_key on notification_queue (dedupe_key);
create index notification_queue_pending_idx on notification_queue (user_id, created_at) where digested_at is null;

alter table notification_queue enable row level security;
create policy notification_queue_tenant on notification_queue
  using (org_id = app_current_org() or user_id = app_current_user())
  with check (org_id = app_current_org() or user_id = app_current_user());

-- The digest runs outside any org, so row-level security hides every item from it: this
-- says only who has items waiting (user ids, no tenant data); each person's items are then
-- read in their own user context.
create function notification_digest_recipients() returns setof uuid
  language sql stable security definer set search_path = public
  as $$ select distinct q.user_id from notification_queue q where q.digested_at is null $$;

-- Housekeeping runs outside any org; invitations are tenant rows. Deletes invitations that
-- expired (unanswered) before the cutoff. The audit log keeps their story.
create function delete_expired_invitations(p_expired_before timestamptz) returns integer
  language sql volatile security definer set search_path = public
  as $$
    with gone as (
      delete from invitations i
       where i.expires_at < p_expired_before
         and i.accepted_at is null and i.declined_at is null and i.revoked_at is null
      returning 1)
    select count(*)::integer from gone
  $$;

revoke execute on function notification_digest_recipients(), delete_expired_invitations(timestamptz) from public;
grant execute on function notification_digest_recipients(), delete_expired_invitations(timestamptz) to ledgerworks_runtime;
grant select, insert, update, delete on notification_preferences, notification_queue to ledgerworks_runtime;
-- Old CSP reports are deleted by housekeeping (the table stays insert-only otherwise in spirit).
grant delete on csp_reports to ledgerworks_runtime;

-- A failed run retried from the Activity page is a new run that points at the one it retries
-- (the failed run and its error stay as they were). One retry per run: a double click
-- finds the first.
alter table task_runs add column retry_of uuid references task_runs (id) on delete set null;
create unique index task_runs_retry_of_key on task_runs (retry_of) where retry_of is not null;
