-- Invoices per status per organization, kept current by a trigger, so the approval queue's
-- status tabs cost one small read instead of counting 100,000 rows on every page view.
-- (Filtered views still count their own, much smaller, result.) Derived data only: the
-- invoices table stays the truth, and `ledgerworks` can rebuild this from it at any time.
create table invoice_status_counts (
  org_id uuid not null references organizations (id) on delete cascade,
  status text not null,
  n      bigint not null default 0,
  primary key (org_id, status),
  constraint invoice_status_counts_non_negative check (n >= 0)
);

insert into invoice_status_counts (org_id, status, n)
  select org_id, status, count(*) from invoices group by org_id, status;

-- Statement-level, with transition tables: a bulk change (an import, the demo seed) adjusts
-- each count once per statement, not once per row. Runs as the table owner: the counts are
-- bookkeeping the app never writes itself.
create function invoices_count_statuses() returns trigger
  language plpgsql security definer set search_path = public
  as $$
  begin
    -- Each branch names only the transition tables its event has.
    if tg_op = 'INSERT' then
      insert into invoice_status_counts as c (org_id, status, n)
        select org_id, status, count(*) from new_rows group by org_id, status
        on conflict (org_id, status) do update set n = c.n + excluded.n;
    elsif tg_op = 'DELETE' then
      update invoice_status_counts c set n = c.n - d.n
        from (select org_id, status, count(*) as n from old_rows group by org_id, status) d
       where c.org_id = d.org_id and c.status = d.status;
    else
      -- Rows leave their old status and join their new one (an unchanged status nets zero).
      update invoice_status_counts c set n = c.n - d.n
        from (select org_id, status, count(*) as n from old_rows group by org_id, status) d
       where c.org_id = d.org_id and c.status = d.status;
      insert into invoice_status_counts as c (org_id, status, n)
        select org_id, status, count(*) from new_rows group by org_id, status
        on conflict (org_id, status) do update set n = c.n + excluded.n;
    end if;
    return null;
  end
  $$;
create trigger invoices_count_inserted after insert on invoices
  referencing new table as new_rows for each statement execute function invoices_count_statuses();
create trigger invoices_count_updated after update on invoices
  referencing old table as old_rows new table as new_rows for each statement execute function invoices_count_statuses();
create trigger invoices_count_deleted after delete on invoices
  referencing old table as old_rows for each statement execute function invoices_count_statuses();

alter table invoice_status_counts enable row level security;
create policy invoice_status_counts_tenant on invoice_status_counts using (org_id = app_current_org());
revoke execute on function invoices_count_statuses() from public;
grant select on invoice_status_counts to ledgerworks_runtime;

-- "Waiting for me" asks, for every submitted invoice, whether this person already approved it.
create index invoice_approvals_approver_idx on invoice_approvals (org_id, approver_id, invoice_id);
