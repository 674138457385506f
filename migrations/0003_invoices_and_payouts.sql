-- Vendors, invoices, approvals and payouts: the finance workflow, with its rules in the database.
--
-- Every table is tenant-owned: org_id leads each primary key and every foreign key between
-- them, so a row can never point into another organization. Status changes are transitions
-- listed in a table; a trigger refuses any other change, whatever the application does.

-- Trusted extension (PostgreSQL 13+): the database owner may create it. Used for text search
-- in the approval queue.
create extension if not exists pg_trgm;

-- The organization's own bank account: the debtor of its payment files.
alter table organizations
  add column bank_account_name text,
  add column bank_iban         text,
  add column bank_bic          text,
  add constraint organizations_bank_iban_format check (bank_iban is null or bank_iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
  add constraint organizations_bank_bic_format check (bank_bic is null or bank_bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$');

-- The largest invoice one person may approve, in minor units of the org's default currency
-- (null: no limit). Invoices in other currencies are compared by face value in major units:
-- there are no exchange rates here, so a team with several currencies sets limits with margin.
alter table memberships
  add column approval_limit_minor bigint,
  add constraint memberships_approval_limit check (approval_limit_minor is null or approval_limit_minor >= 0);

create table vendors (
  org_id            uuid not null references organizations (id) on delete cascade,
  id                uuid not null default gen_random_uuid(),
  name              text not null,
  tax_id            text not null,
  -- "DE 123.456.789" and "de123456789" are the same tax id.
  tax_id_normalized text generated always as (upper(regexp_replace(tax_id, '[^A-Za-z0-9]', '', 'g'))) stored,
  -- Payment details are sensitive: pages show them masked, the audit log masks old and new value.
  iban              text,
  bic               text,
  account_number    text,
  default_currency  text not null references currencies (code),
  email             text,
  archived_at       timestamptz,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (org_id, id),
  constraint vendors_name_length check (char_length(btrim(name)) between 1 and 200),
  constraint vendors_tax_id_present check (tax_id_normalized <> '' and char_length(tax_id) <= 50),
  constraint vendors_iban_format check (iban is null or iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
  constraint vendors_bic_format check (bic is null or bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
  constraint vendors_account_number_format check (account_number is null or account_number ~ '^[0-9A-Z-]{4,34}$'),
  constraint vendors_payment_details check (iban is not null or account_number is not null)
);
create unique index vendors_tax_id_key on vendors (org_id, tax_id_normalized);
create index vendors_name_idx on vendors (org_id, lower(name));

create table payouts (
  org_id             uuid not null references organizations (id) on delete cascade,
  id                 uuid not null default gen_random_uuid(),
  reference          text not null,
  currency           text not null references currencies (code),
  status             text not null default 'pending',
  approvals_required smallint not null default 1,
  created_by         uuid references users (id) on delete set null,
  created_at         timestamptz not null default now(),
  approved_at        timestamptz,
  exported_at        timestamptz,
  paid_at            timestamptz,
  paid_by            uuid references users (id) on delete set null,
  bank_reference     text,
  cancelled_at       timestamptz,
  cancelled_by       uuid references users (id) on delete set null,
  updated_at         timestamptz not null default now(),
  primary key (org_id, id),
  constraint payouts_status check (status in ('pending', 'approved', 'paid', 'cancelled')),
  constraint payouts_approvals_required check (approvals_required between 1 and 2),
  constraint payouts_reference_format check (reference ~ '^[A-Z0-9-]{3,35}$'),
  constraint payouts_paid check ((status = 'paid') = (paid_at is not null and bank_reference is not null)),
  constraint payouts_bank_reference_length check (bank_reference is null or char_length(btrim(bank_reference)) between 1 and 100),
  constraint payouts_cancelled check ((status = 'cancelled') = (cancelled_at is not null)),
  constraint payouts_approved check (status not in ('approved', 'paid') or approved_at is not null)
);
create unique index payouts_reference_key on payouts (org_id, reference);
create index payouts_org_created_idx on payouts (org_id, created_at desc);

create table invoices (
  org_id             uuid not null references organizations (id) on delete cascade,
  id                 uuid not null default gen_random_uuid(),
  vendor_id          uuid not null,
  number             text not null,
  issue_date         date not null,
  due_date           date not null,
  amount_minor       bigint not null,
  currency           text not null references currencies (code),
  description        text not null default '',
  category           text not null,
  status             text not null default 'draft',
  approvals_required smallint not null default 1,
  rejection_reason   text,
  payout_id          uuid,
  paid_at            timestamptz,
  created_by         uuid references users (id) on delete set null,
  submitted_by       uuid references users (id) on delete set null,
  submitted_at       timestamptz,
  decided_at         timestamptz,
  attachment_key     text,
  attachment_name    text,
  attachment_size    integer,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  primary key (org_id, id),
  foreign key (org_id, vendor_id) references vendors (org_id, id),
  foreign key (org_id, payout_id) references payouts (org_id, id),
  constraint invoices_number_format check (char_length(btrim(number)) between 1 and 64 and number = btrim(number)),
  constraint invoices_amount_positive check (amount_minor > 0 and amount_minor < 1000000000000000),
  constraint invoices_dates check (due_date >= issue_date and issue_date > date '1990-01-01'),
  constraint invoices_description_length check (char_length(description) <= 2000),
  constraint invoices_category check (category in ('software', 'hardware', 'services', 'travel', 'office', 'marketing', 'rent', 'utilities', 'other')),
  constraint invoices_status check (status in ('draft', 'submitted', 'approved', 'rejected', 'scheduled', 'paid')),
  constraint invoices_approvals_required check (approvals_required between 1 and 2),
  constraint invoices_rejection_reason check ((status = 'rejected') = (rejection_reason is not null)),
  constraint invoices_rejection_reason_length check (rejection_reason is null or char_length(btrim(rejection_reason)) between 1 and 1000),
  constraint invoices_in_payout check ((status in ('scheduled', 'paid')) = (payout_id is not null)),
  constraint invoices_paid check ((status = 'paid') = (paid_at is not null)),
  constraint invoices_submitted check (status = 'draft' or submitted_at is not null),
  constraint invoices_attachment check ((attachment_key is null) = (attachment_name is null) and (attachment_key is null) = (attachment_size is null))
);
-- An invoice number is unique per vendor within the org (case and surrounding spaces ignored).
create unique index invoices_vendor_number_key on invoices (org_id, vendor_id, upper(number));
-- The approval queue: filters and keyset pagination on each sort, at 100,000 invoices per org.
create index invoices_queue_due_idx on invoices (org_id, status, due_date, id);
create index invoices_due_idx on invoices (org_id, due_date, id);
create index invoices_amount_idx on invoices (org_id, amount_minor, id);
create index invoices_created_idx on invoices (org_id, created_at, id);
create index invoices_vendor_idx on invoices (org_id, vendor_id, due_date, id);
create index invoices_payout_idx on invoices (org_id, payout_id) where payout_id is not null;
create index invoices_search_idx on invoices using gin ((number || ' ' || description) gin_trgm_ops);

-- The workflow. Anything not listed here is refused by the trigger below.
create table invoice_transitions (
  from_status text not null,
  to_status   text not null,
  primary key (from_status, to_status)
);
insert into invoice_transitions (from_status, to_status) values
  ('draft', 'submitted'),
  ('submitted', 'draft'),      -- the submitter withdraws it
  ('submitted', 'approved'),
  ('submitted', 'rejected'),
  ('approved', 'scheduled'),   -- put in a payout
  ('scheduled', 'approved'),   -- its payout was cancelled
  ('scheduled', 'paid');

create function invoices_enforce_workflow() returns trigger
  language plpgsql
  as $$
  begin
    if tg_op = 'INSERT' then
      if new.status <> 'draft' then
        raise exception 'a new invoice starts as a draft, not %', new.status
          using errcode = 'check_violation', constraint = 'invoices_workflow';
      end if;
      return new;
    end if;
    if new.status is distinct from old.status
       and not exists (select 1 from invoice_transitions t where t.from_status = old.status and t.to_status = new.status) then
      raise exception 'an invoice cannot go from % to %', old.status, new.status
        using errcode = 'check_violation', constraint = 'invoices_workflow';
    end if;
    -- What was submitted is what gets approved and paid: only drafts can be edited.
    if old.status <> 'draft' and (
         new.vendor_id, new.number, new.issue_date, new.due_date, new.amount_minor, new.currency, new.description, new.category, new.attachment_key
       ) is distinct from (
         old.vendor_id, old.number, old.issue_date, old.due_date, old.amount_minor, old.currency, old.description, old.category, old.attachment_key
       ) then
      raise exception 'an invoice that is % cannot be edited', old.status
        using errcode = 'check_violation', constraint = 'invoices_workflow';
    end if;
    return new;
  end
  $$;
create trigger invoices_workflow
  before insert or update on invoices
  for each row execute function invoices_enforce_workflow();

-- Who moved an invoice, when, from what to what, and why.
create table invoice_status_history (
  org_id      uuid not null,
  id          bigint generated always as identity,
  invoice_id  uuid not null,
  from_status text,
  to_status   text not null,
  actor_id    uuid references users (id) on delete set null,
  note        text,
  created_at  timestamptz not null default now(),
  primary key (org_id, id),
  foreign key (org_id, invoice_id) references invoices (org_id, id) on delete cascade,
  constraint invoice_status_history_note_length check (note is null or char_length(note) <= 1000)
);
create index invoice_status_history_invoice_idx on invoice_status_history (org_id, invoice_id, id);

create table invoice_approvals (
  org_id      uuid not null,
  invoice_id  uuid not null,
  approver_id uuid not null references users (id),
  created_at  timestamptz not null default now(),
  primary key (org_id, invoice_id, approver_id),
  foreign key (org_id, invoice_id) references invoices (org_id, id) on delete cascade
);

-- Nobody approves an invoice they submitted, and only a submitted invoice collects approvals.
create function invoice_approvals_check() returns trigger
  language plpgsql
  as $$
  declare
    inv record;
  begin
    select status, submitted_by into inv from invoices where org_id = new.org_id and id = new.invoice_id;
    if inv.status <> 'submitted' then
      raise exception 'only a submitted invoice can be approved (this one is %)', inv.status
        using errcode = 'check_violation', constraint = 'invoice_approvals_submitted';
    end if;
    if inv.submitted_by = new.approver_id then
      raise exception 'nobody approves an invoice they submitted'
        using errcode = 'check_violation', constraint = 'invoice_approvals_not_submitter';
    end if;
    return new;
  end
  $$;
create trigger invoice_approvals_check
  before insert on invoice_approvals
  for each row execute function invoice_approvals_check();

create table invoice_comments (
  org_id     uuid not null,
  id         uuid not null default gen_random_uuid(),
  invoice_id uuid not null,
  author_id  uuid references users (id) on delete set null,
  body       text not null,
  created_at timestamptz not null default now(),
  primary key (org_id, id),
  foreign key (org_id, invoice_id) references invoices (org_id, id) on delete cascade,
  constraint invoice_comments_body_length check (char_length(btrim(body)) between 1 and 4000)
);
create index invoice_comments_invoice_idx on invoice_comments (org_id, invoice_id, created_at);

create table payout_approvals (
  org_id      uuid not null,
  payout_id   uuid not null,
  approver_id uuid not null references users (id),
  created_at  timestamptz not null default now(),
  primary key (org_id, payout_id, approver_id),
  foreign key (org_id, payout_id) references payouts (org_id, id) on delete cascade
);

-- A payout is approved by someone other than its creator.
create function payout_approvals_check() returns trigger
  language plpgsql
  as $$
  declare
    p record;
  begin
    select status, created_by into p from payouts where org_id = new.org_id and id = new.payout_id;
    if p.status <> 'pending' then
      raise exception 'only a pending payout can be approved (this one is %)', p.status
        using errcode = 'check_violation', constraint = 'payout_approvals_pending';
    end if;
    if p.created_by = new.approver_id then
      raise exception 'nobody approves a payout they created'
        using errcode = 'check_violation', constraint = 'payout_approvals_not_creator';
    end if;
    return new;
  end
  $$;
create trigger payout_approvals_check
  before insert on payout_approvals
  for each row execute function payout_approvals_check();

create table payout_transitions (
  from_status text not null,
  to_status   text not null,
  primary key (from_status, to_status)
);
insert into payout_transitions (from_status, to_status) values
  ('pending', 'approved'),
  ('pending', 'cancelled'),
  ('approved', 'paid'),
  ('approved', 'cancelled');

create function payouts_enforce_workflow() returns trigger
  language plpgsql
  as $$
  begin
    if tg_op = 'INSERT' then
      if new.status <> 'pending' then
        raise exception 'a new payout starts as pending, not %', new.status
          using errcode = 'check_violation', constraint = 'payouts_workflow';
      end if;
      return new;
    end if;
    if new.status is distinct from old.status
       and not exists (select 1 from payout_transitions t where t.from_status = old.status and t.to_status = new.status) then
      raise exception 'a payout cannot go from % to %', old.status, new.status
        using errcode = 'check_violation', constraint = 'payouts_workflow';
    end if;
    return new;
  end
  $$;
create trigger payouts_workflow
  before insert or update on payouts
  for each row execute function payouts_enforce_workflow();

create table payout_status_history (
  org_id      uuid not null,
  id          bigint generated always as identity,
  payout_id   uuid not null,
  from_status text,
  to_status   text not null,
  actor_id    uuid references users (id) on delete set null,
  note        text,
  created_at  timestamptz not null default now(),
  primary key (org_id, id),
  foreign key (org_id, payout_id) references payouts (org_id, id) on delete cascade
);
create index payout_status_history_payout_idx on payout_status_history (org_id, payout_id, id);

-- Row-level security on every tenant table.
alter table vendors enable row level security;
create policy vendors_tenant on vendors using (org_id = app_current_org()) with check (org_id = app_current_org());
alter table invoices enable row level security;
create policy invoices_tenant on invoices using (org_id = app_current_org()) with check (org_id = app_current_org());
alter table invoice_status_history enable row level security;
create policy invoice_status_history_tenant on invoice_status_history using (org_id = app_current_org()) with check (org_id = app_current_org());
alter table invoice_approvals enable row level security;
create policy invoice_approvals_tenant on invoice_approvals using (org_id = app_current_org()) with check (org_id = app_current_org());
alter table invoice_comments enable row level security;
create policy invoice_comments_tenant on invoice_comments using (org_id = app_current_org()) with check (org_id = app_current_org());
alter table payouts enable row level security;
create policy payouts_tenant on payouts using (org_id = app_current_org()) with check (org_id = app_current_org());
alter table payout_approvals enable row level security;
create policy payout_approvals_tenant on payout_approvals using (org_id = app_current_org()) with check (org_id = app_current_org());
alter table payout_status_history enable row level security;
create policy payout_status_history_tenant on payout_status_history using (org_id = app_current_org()) with check (org_id = app_current_org());

grant select on invoice_transitions, payout_transitions to ledgerworks_runtime;
grant select, insert, update, delete on vendors, invoices, invoice_approvals, invoice_comments, payouts, payout_approvals to ledgerworks_runtime;
-- History is append-only for the app, like the audit log.
grant select, insert on invoice_status_history, payout_status_history to ledgerworks_runtime;
