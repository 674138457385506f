-- Impersonation: a support or superuser staff member signed in as a customer to see what they
-- see, with a reason (a ticket reference), for at most an hour, read-only unless they stated a
-- second reason for changes. One row per impersonation, kept after it ends: it is the trace the
-- person and their org's owners read. The session it runs in points back to it.
create table impersonations (
  id             uuid primary key,
  staff_user_id  uuid not null references users (id),
  user_id        uuid not null references users (id) on delete cascade,
  -- The one org the impersonation may open (null: the person belongs to none).
  org_id         uuid references organizations (id) on delete set null,
  reason         text not null,
  allows_changes boolean not null default false,
  change_reason  text,
  started_at     timestamptz not null default now(),
  ends_at        timestamptz not null,
  ended_at       timestamptz,
  ended_how      text,
  constraint impersonations_not_self check (staff_user_id <> user_id),
  constraint impersonations_reason check (char_length(btrim(reason)) between 3 and 200),
  constraint impersonations_change_reason check (
    allows_changes = (change_reason is not null) and char_length(btrim(coalesce(change_reason, 'xxx'))) between 3 and 200
  ),
  constraint impersonations_at_most_an_hour check (ends_at > started_at and ends_at <= started_at + interval '60 minutes'),
  constraint impersonations_ended check ((ended_at is null) = (ended_how is null)),
  constraint impersonations_ended_how check (ended_how in ('stopped', 'expired', 'signed_out'))
);
create index impersonations_user_idx on impersonations (user_id, started_at desc);
create index impersonations_staff_idx on impersonations (staff_user_id, started_at desc);
-- The ones still running (the expiry sweep, "who is impersonating now").
create index impersonations_open_idx on impersonations (ends_at) where ended_at is null;

-- Who may impersonate whom is checked here too, not only by the app: the impersonator holds the
-- support or superuser role now, the person is active and no staff member (staff never
-- impersonate staff), the org is one the person belongs to, and an org that asks for a grant has
-- a live one. The row is inserted inside the org's transaction (withOrg), so row-level security
-- shows this function exactly that org's membership and grants.
create function impersonations_check() returns trigger
  language plpgsql
  as $$
declare
  staff_role text;
  target record;
begin
  select u.staff_role into staff_role from users u where u.id = new.staff_user_id;
  if staff_role is null or staff_role not in ('support', 'superuser') then
    raise exception 'only support and superuser staff may impersonate' using errcode = 'check_violation',
      constraint = 'impersonations_impersonator_role';
  end if;
  select u.staff_role, u.is_active into target from users u where u.id = new.user_id;
  if target.staff_role is not null then
    raise exception 'staff accounts are never impersonated' using errcode = 'check_violation',
      constraint = 'impersonations_target_not_staff';
  end if;
  if not target.is_active then
    raise exception 'a deactivated account is never impersonated' using errcode = 'check_violation',
      constraint = 'impersonations_target_active';
  end if;
  if new.org_id is not null then
    if not exists (select 1 from memberships m where m.org_id = new.org_id and m.user_id = new.user_id) then
      raise exception 'the person is not a member of that organization' using errcode = 'check_violation',
        constraint = 'impersonations_member_of_org';
    end if;
    if exists (select 1 from organizations o where o.id = new.org_id and o.support_access = 'grant')
       and not exists (select 1 from support_access_grants g where g.org_id = new.org_id
                       and g.revoked_at is null and g.expires_at > now()) then
      raise exception 'the organization asks for an access grant first' using errcode = 'check_violation',
        constraint = 'impersonations_access_granted';
    end if;
  end if;
  return new;
end
$$;
create trigger impersonations_check before insert on impersonations
  for each row execute function impersonations_check();

alter table sessions add column impersonation_id uuid references impersonations (id) on delete cascade;
create unique index sessions_impersonation_key on sessions (impersonation_id) where impersonation_id is not null;

-- Owners may ask that support asks first: with 'grant', impersonating a member of the org needs
-- a live access grant an owner gave (for a number of days, revocable).
alter table organizations add column support_access text not null default 'open'
  constraint organizations_support_access check (support_access in ('open', 'grant'));

create table support_access_grants (
  org_id      uuid not null references organizations (id) on delete cascade,
  id          uuid not null,
  granted_by  uuid references users (id) on delete set null,
  granted_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  revoked_at  timestamptz,
  revoked_by  uuid references users (id) on delete set null,
  primary key (org_id, id),
  constraint support_access_grants_days check (expires_at > granted_at and expires_at <= granted_at + interval '90 days'),
  constraint support_access_grants_revoked check (revoked_by is null or revoked_at is not null)
);
create index support_access_grants_live_idx on support_access_grants (org_id, expires_at) where revoked_at is null;
alter table support_access_grants enable row level security;
create policy support_access_grants_tenant on support_access_grants
  using (org_id = app_current_org()) with check (org_id = app_current_org());
-- Staff read it as they read every tenant table (0009_staff_reads.sql).
create policy support_access_grants_staff_read on support_access_grants for select
  using ((select app_staff_reader()));

grant select, insert on impersonations to ledgerworks_runtime;
-- An impersonation's facts are fixed once started; only its end is written later.
grant update (ended_at, ended_how) on impersonations to ledgerworks_runtime;
grant select, insert, update on support_access_grants to ledgerworks_runtime;
