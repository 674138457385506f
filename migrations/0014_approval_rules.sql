-- Approval rules in the database: who may approve, how many approvals, within which limit.
--
-- The services check each rule first and give the clear message (invoices/approval-policy.ts,
-- invoices/record-rules.ts, payouts/policy.ts); these triggers are the wall behind them, for
-- every role and for SQL typed by hand. Each refusal is a check_violation (23514) naming its own
-- constraint, which the services map to a sentence (invoices/workflow-guards.ts, payouts/approve-payout.ts).
--
--   an approval row      : only while the invoice is submitted (the payout pending); never by the
--                          person who created or submitted it; only by a member whose role
--                          approves (owner, admin, approver); for invoices, within the approver's
--                          approval limit, and recording the limit and currency it was checked against
--   submitted → approved : at least approvals_required approvals from distinct people, none of them
--                          the invoice's creator or submitter
--   pending → approved   : at least approvals_required approvals from distinct people other than
--                          the payout's creator
--   once submitted (an invoice) or created (a payout), approvals_required and the people the rules
--   name (creator, submitter) no longer change, except to null when that person's account is deleted.

-- The limit an invoice approval was checked against: the approver's approval_limit_minor at that
-- moment (null: no limit) in approval_limit_currency, the org's default currency, in which limits
-- are set. Approvals recorded before this migration have neither: their limit was not recorded.
alter table invoice_approvals
  add column approval_limit_minor    bigint,
  add column approval_limit_currency text references currencies (code),
  add constraint invoice_approvals_limit_has_currency check (approval_limit_minor is null or approval_limit_currency is not null);

-- Replaces 0003's check: the submitter rule and the state rule stay, with the creator, the role
-- and the limit added. The membership row is locked (FOR SHARE) so that a limit or role changed
-- at the same moment waits for this approval, or this approval sees the change.
create or replace function invoice_approvals_check() returns trigger
  language plpgsql
  as $$
  declare
    inv record;
    m   record;
  begin
    select i.status, i.submitted_by, i.created_by, i.amount_minor, c.minor_units
      into inv
      from invoices i join currencies c on c.code = i.currency
     where i.org_id = new.org_id and i.id = new.invoice_id;
    if not found or inv.status <> 'submitted' then
      raise exception 'only a submitted invoice can be approved (this one is %)', coalesce(inv.status, 'missing')
        using errcode = 'check_violation', constraint = 'invoice_approvals_submitted';
    end if;
    if inv.submitted_by = new.approver_id then
      raise exception 'nobody approves an invoice they submitted'
        using errcode = 'check_violation', constraint = 'invoice_approvals_not_submitter';
    end if;
    if inv.created_by = new.approver_id then
      raise exception 'nobody approves an invoice they created'
        using errcode = 'check_violation', constraint = 'invoice_approvals_not_creator';
    end if;
    select ms.role, ms.approval_limit_minor, o.default_currency, c.minor_units
      into m
      from memberships ms
      join organizations o on o.id = ms.org_id
      join currencies c on c.code = o.default_currency
     where ms.org_id = new.org_id and ms.user_id = new.approver_id
       for share of ms;
    if not found or m.role not in ('owner', 'admin', 'approver') then
      raise exception 'only owners, admins and approvers of the organization approve invoices'
        using errcode = 'check_violation', constraint = 'invoice_approvals_approver_role';
    end if;
    if new.approval_limit_currency is distinct from m.default_currency
       or new.approval_limit_minor is distinct from m.approval_limit_minor then
      raise exception 'an approval records the limit it was checked against: the approver''s limit is % %, the approval says % %',
          coalesce(m.approval_limit_minor::text, 'none'), m.default_currency,
          coalesce(new.approval_limit_minor::text, 'none'), coalesce(new.approval_limit_currency, 'no currency')
        using errcode = 'check_violation', constraint = 'invoice_approvals_limit_recorded';
    end if;
    -- Face value in major units, as the app compares it (core/money.ts): a / 10^ua against b / 10^ub.
    if m.approval_limit_minor is not null
       and inv.amount_minor::numeric * (10::numeric ^ m.minor_units)
           > m.approval_limit_minor::numeric * (10::numeric ^ inv.minor_units) then
      raise exception 'the invoice is above the approver''s approval limit of % minor units of %', m.approval_limit_minor, m.default_currency
        using errcode = 'check_violation', constraint = 'invoice_approvals_within_limit';
    end if;
    return new;
  end
  $$;

-- Replaces 0003's check: the creator rule and the state rule stay, with the role added.
create or replace function payout_approvals_check() returns trigger
  language plpgsql
  as $$
  declare
    p record;
  begin
    select status, created_by into p from payouts where org_id = new.org_id and id = new.payout_id;
    if not found or p.status <> 'pending' then
      raise exception 'only a pending payout can be approved (this one is %)', coalesce(p.status, 'missing')
        using errcode = 'check_violation', constraint = 'payout_approvals_pending';
    end if;
    if p.created_by = new.approver_id then
      raise exception 'nobody approves a payout they created'
        using errcode = 'check_violation', constraint = 'payout_approvals_not_creator';
    end if;
    perform 1 from memberships ms
      where ms.org_id = new.org_id and ms.user_id = new.approver_id and ms.role in ('owner', 'admin', 'approver')
        for share;
    if not found then
      raise exception 'only owners, admins and approvers of the organization approve payouts'
        using errcode = 'check_violation', constraint = 'payout_approvals_approver_role';
    end if;
    return new;
  end
  $$;

-- The decision: an invoice becomes approved only with enough approvals from the right people.
-- (scheduled → approved, a cancelled payout handing its invoices back, is no decision: they were approved.)
-- The people the rules name and the number needed are frozen once the invoice is submitted.
create function invoices_enforce_approvals() returns trigger
  language plpgsql
  as $$
  declare
    n integer;
  begin
    if old.status <> 'draft' and new.status <> 'draft' and (
         new.approvals_required is distinct from old.approvals_required
         or (new.created_by is distinct from old.created_by and new.created_by is not null)
         or (new.submitted_by is distinct from old.submitted_by and new.submitted_by is not null)
       ) then
      raise exception 'a submitted invoice keeps its creator, submitter and required approvals'
        using errcode = 'check_violation', constraint = 'invoices_approval_facts_frozen';
    end if;
    if old.status = 'submitted' and new.status = 'approved' then
      select count(distinct a.approver_id) into n
        from invoice_approvals a
       where a.org_id = new.org_id and a.invoice_id = new.id
         and a.approver_id is distinct from new.created_by
         and a.approver_id is distinct from new.submitted_by;
      if n < new.approvals_required then
        raise exception 'an invoice is approved with % approval(s) from people other than its creator and submitter; it has %', new.approvals_required, n
          using errcode = 'check_violation', constraint = 'invoices_approvals_required';
      end if;
    end if;
    return new;
  end
  $$;
create trigger invoices_approvals
  before update on invoices
  for each row execute function invoices_enforce_approvals();

create function payouts_enforce_approvals() returns trigger
  language plpgsql
  as $$
  declare
    n integer;
  begin
    if new.approvals_required is distinct from old.approvals_required
       or (new.created_by is distinct from old.created_by and new.created_by is not null) then
      raise exception 'a payout keeps its creator and required approvals'
        using errcode = 'check_violation', constraint = 'payouts_approval_facts_frozen';
    end if;
    if old.status = 'pending' and new.status = 'approved' then
      select count(distinct a.approver_id) into n
        from payout_approvals a
       where a.org_id = new.org_id and a.payout_id = new.id
         and a.approver_id is distinct from new.created_by;
      if n < new.approvals_required then
        raise exception 'a payout is approved with % approval(s) from people other than its creator; it has %', new.approvals_required, n
          using errcode = 'check_violation', constraint = 'payouts_approvals_required';
      end if;
    end if;
    return new;
  end
  $$;
create trigger payouts_approvals
  before update on payouts
  for each row execute function payouts_enforce_approvals();
