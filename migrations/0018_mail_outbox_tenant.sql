-- The outbox holds tenant content (invoice numbers, vendor and org names in subjects and bodies):
-- a mail of an org (invitations, invoice and payout notifications, the welcome mail, "you are now
-- an owner") now carries that org and is behind row-level security like every tenant table. A mail
-- of no org (sign-up, password reset, two-factor, email change, the per-person digest across orgs)
-- keeps org_id null and is read and written as before, from any context.
--
-- On delete cascade, as every tenant table: deleting an org (account deletion deletes the orgs a
-- person was alone in) removes its mails with the rest of its data. SET NULL would instead move
-- the org's invoice numbers and vendor names into the no-org rows that every context reads. What
-- was sent stays answerable from the audit log (who was invited, who was notified).
alter table mail_outbox add column org_id uuid;
alter table mail_outbox
  add constraint mail_outbox_org_id_fkey foreign key (org_id) references organizations (id) on delete cascade not valid;
alter table mail_outbox validate constraint mail_outbox_org_id_fkey;
create index mail_outbox_org_created_idx on mail_outbox (org_id, created_at desc) where org_id is not null;

-- Backfill: queueMail has always scheduled a message's delivery run in the org it was queued in,
-- so the first delivery run of a message names its org (a resend's run is of no org, and is
-- skipped). Messages whose runs were cleaned up stay of no org, as they were.
update mail_outbox m
   set org_id = r.org_id
  from task_runs r
 where r.task = 'mail.deliver'
   and r.org_id is not null
   and r.input ->> 'messageId' = m.id::text
   and m.org_id is null
   and exists (select 1 from organizations o where o.id = r.org_id);

alter table mail_outbox enable row level security;
-- A mail of an org in that org's context only; a mail of no org wherever it was read before.
create policy mail_outbox_tenant on mail_outbox
  using (org_id is null or org_id = app_current_org())
  with check (org_id is null or org_id = app_current_org());
create policy mail_outbox_staff_read on mail_outbox for select using ((select app_staff_reader()));

-- The delivery worker sends any message by its id, whatever org it belongs to and whichever
-- context its run has (a resend's run, or one queued before this migration, may be of no org).
-- These functions are the only ways it touches a row: claim a queued one, settle one it claimed,
-- or find out why it could not claim it. Each acts on one row by its id (a uuid only a delivery
-- job's payload holds) and only in the states delivery moves it through.

-- queued → sending; returns what the transport needs, or nothing when the row is not queued.
create function mail_outbox_claim(p_id uuid)
  returns table (id uuid, to_address text, subject text, text_body text, html_body text)
  language sql volatile security definer set search_path = public
  as $$
    update mail_outbox m set status = 'sending'
     where m.id = p_id and m.status = 'queued'
     returning m.id, m.to_address, m.subject, m.text_body, m.html_body
  $$;

-- A row that could not be claimed: one still 'sending' was interrupted mid-send (a crash), and is
-- marked failed rather than sent twice. Returns the status it had (null when there is no such row).
create function mail_outbox_unclaimed(p_id uuid, p_error text) returns text
  language plpgsql volatile security definer set search_path = public
  as $$
  declare
    s text;
  begin
    select m.status into s from mail_outbox m where m.id = p_id for update;
    if s = 'sending' then
      update mail_outbox m set status = 'failed', error = p_error where m.id = p_id;
    end if;
    return s;
  end
  $$;

-- sending → sent (with the Message-ID header), queued (the server refused; tried again) or failed.
create function mail_outbox_settle(p_id uuid, p_status text, p_error text, p_message_id text) returns void
  language sql volatile security definer set search_path = public
  as $$
    update mail_outbox m
       set status = p_status,
           error = p_error,
           message_id = coalesce(p_message_id, m.message_id),
           sent_at = case when p_status = 'sent' then now() else m.sent_at end
     where m.id = p_id and m.status = 'sending' and p_status in ('sent', 'queued', 'failed')
  $$;

revoke execute on function mail_outbox_claim(uuid), mail_outbox_unclaimed(uuid, text),
  mail_outbox_settle(uuid, text, text, text) from public;
grant execute on function mail_outbox_claim(uuid), mail_outbox_unclaimed(uuid, text),
  mail_outbox_settle(uuid, text, text, text) to ledgerworks_runtime;
