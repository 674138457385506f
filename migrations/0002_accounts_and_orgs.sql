-- Accounts and organizations: the unhappy paths.
-- Lockout and two-factor state on users, single-use account tokens, recovery codes,
-- invitations, organization settings, a currency list, the last-owner rule, and the
-- record of submitted forms that makes a double submission harmless.

-- Currencies the product knows (ISO 4217). Money columns reference this table.
create table currencies (
  code        text primary key,
  name        text not null,
  minor_units smallint not null,
  constraint currencies_code_format check (code ~ '^[A-Z]{3}$'),
  constraint currencies_minor_units check (minor_units between 0 and 4)
);
insert into currencies (code, name, minor_units) values
  ('EUR', 'Euro', 2),
  ('USD', 'US dollar', 2),
  ('GBP', 'Pound sterling', 2),
  ('CHF', 'Swiss franc', 2),
  ('SEK', 'Swedish krona', 2),
  ('NOK', 'Norwegian krone', 2),
  ('DKK', 'Danish krone', 2),
  ('PLN', 'Polish złoty', 2),
  ('CZK', 'Czech koruna', 2),
  ('CAD', 'Canadian dollar', 2),
  ('AUD', 'Australian dollar', 2),
  ('JPY', 'Japanese yen', 0);

-- Lockout: failed_logins counts consecutive failures; each lock lasts longer than the
-- previous one (lockouts counts them) until a successful login or password reset.
-- Two-factor: the TOTP secret is stored sealed (AES-GCM with a key derived from SECRET_KEY);
-- it is set while enrolling and enabled once a first code has been confirmed.
alter table users
  add column failed_logins    integer not null default 0,
  add column lockouts         integer not null default 0,
  add column locked_until     timestamptz,
  add column totp_secret      text,
  add column totp_enabled_at  timestamptz,
  add column totp_last_step   bigint,
  add column password_changed_at timestamptz,
  add column deactivated_at   timestamptz,
  add constraint users_failed_logins check (failed_logins >= 0 and lockouts >= 0),
  add constraint users_totp_needs_secret check (totp_enabled_at is null or totp_secret is not null),
  add constraint users_deactivated_inactive check (deactivated_at is null or not is_active);

-- Sessions get an id that can be shown in pages and forms (the primary key is the token's hash).
alter table sessions
  add column public_id uuid not null default gen_random_uuid();
create unique index sessions_public_id_key on sessions (public_id);

-- Single-use links sent by email: password reset, email change confirmation (to the new
-- address) and "this was not me" (to the old address). Only the token's sha256 is stored.
create table user_tokens (
  id_hash    bytea primary key,
  user_id    uuid not null references users (id) on delete cascade,
  purpose    text not null,
  new_email  text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at    timestamptz,
  constraint user_tokens_id_hash_length check (octet_length(id_hash) = 32),
  constraint user_tokens_purpose check (purpose in ('password_reset', 'email_change', 'email_change_report')),
  constraint user_tokens_new_email check ((purpose in ('email_change', 'email_change_report')) = (new_email is not null)),
  constraint user_tokens_new_email_normalized check (new_email is null or (new_email = lower(btrim(new_email)) and new_email like '%_@_%')),
  constraint user_tokens_expiry check (expires_at > created_at)
);
create index user_tokens_user_idx on user_tokens (user_id, purpose, created_at desc);
create index user_tokens_expires_idx on user_tokens (expires_at);

-- Two-factor recovery codes: shown once, stored as a keyed hash, each usable once.
create table recovery_codes (
  user_id    uuid not null references users (id) on delete cascade,
  code_hash  bytea not null,
  created_at timestamptz not null default now(),
  used_at    timestamptz,
  primary key (user_id, code_hash)
);

-- A person may read the audit entries about their own account (sign-ins, password and
-- two-factor changes): the "recent security activity" of their sessions page.
create policy audit_log_own_account on audit_log for select
  using (org_id is null and target_type = 'user' and target_id = app_current_user()::text);

-- Organization settings.
alter table organizations
  add column billing_email            text,
  add column default_currency         text not null default 'EUR' references currencies (code),
  add column approval_threshold_minor bigint not null default 1000000,
  add column require_2fa              boolean not null default false,
  add constraint organizations_billing_email_normalized check (billing_email is null or (billing_email = lower(btrim(billing_email)) and billing_email like '%_@_%')),
  add constraint organizations_approval_threshold check (approval_threshold_minor > 0);

-- Invitations: bound to one email address, single use, expiring, revocable.
create table invitations (
  org_id       uuid not null references organizations (id) on delete cascade,
  id           uuid not null default gen_random_uuid(),
  email        text not null,
  role         text not null,
  token_hash   bytea not null,
  invited_by   uuid references users (id) on delete set null,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  last_sent_at timestamptz not null default now(),
  send_count   integer not null default 1,
  accepted_at  timestamptz,
  accepted_by  uuid references users (id) on delete set null,
  declined_at  timestamptz,
  revoked_at   timestamptz,
  revoked_by   uuid references users (id) on delete set null,
  primary key (org_id, id),
  constraint invitations_email_normalized check (email = lower(btrim(email)) and email like '%_@_%'),
  constraint invitations_role check (role in ('owner', 'admin', 'approver', 'accountant', 'member', 'viewer')),
  constraint invitations_token_hash_length check (octet_length(token_hash) = 32),
  constraint invitations_one_outcome check (num_nonnulls(accepted_at, declined_at, revoked_at) <= 1),
  constraint invitations_send_count check (send_count >= 1)
);
create unique index invitations_token_hash_key on invitations (token_hash);
-- At most one open invitation per address and org: inviting twice finds the first.
create unique index invitations_open_email_key on invitations (org_id, email)
  where accepted_at is null and declined_at is null and revoked_at is null;

alter table invitations enable row level security;
create policy invitations_tenant on invitations
  using (org_id = app_current_org())
  with check (org_id = app_current_org());

-- The invitee is not a member yet, so row-level security hides the invitation from them:
-- this function finds it by its token's hash (the secret only the invitee's mailbox holds).
create function invitation_by_token(p_token_hash bytea) returns table (org_id uuid, id uuid)
  language sql stable security definer set search_path = public
  as $$ select i.org_id, i.id from invitations i where i.token_hash = p_token_hash $$;

-- The last owner rule, in the database: after any change to memberships, an organization
-- that still exists has at least one owner. The service also locks the organization row
-- first, so two owners demoting each other at the same moment cannot both succeed.
create function memberships_keep_an_owner() returns trigger
  language plpgsql security definer set search_path = public
  as $$
  begin
    if exists (select 1 from organizations o where o.id = old.org_id)
       and not exists (select 1 from memberships m where m.org_id = old.org_id and m.role = 'owner') then
      raise exception 'organization % would have no owner', old.org_id
        using errcode = 'check_violation', constraint = 'memberships_last_owner';
    end if;
    return null;
  end
  $$;
create constraint trigger memberships_last_owner
  after update or delete on memberships
  deferrable initially deferred
  for each row execute function memberships_keep_an_owner();

-- Forms carry a one-time key; the first submission with a key claims it, a second one
-- (double click, resent request) is answered with the first one's outcome.
create table form_submissions (
  key          uuid primary key,
  user_id      uuid,
  method       text not null,
  path         text not null,
  created_at   timestamptz not null default now(),
  completed_at timestamptz,
  status_code  integer,
  location     text
);
create index form_submissions_created_idx on form_submissions (created_at);

grant select on currencies to ledgerworks_runtime;
grant select, insert, update, delete on user_tokens, recovery_codes, invitations, form_submissions to ledgerworks_runtime;
revoke execute on function invitation_by_token(bytea), memberships_keep_an_owner() from public;
grant execute on function invitation_by_token(bytea) to ledgerworks_runtime;
