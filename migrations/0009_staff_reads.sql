-- The back-office reads across organizations (its lists of organizations, invoices, task runs…).
--
-- Trust model. Tenant tables answer only rows of app_current_org(). Staff are not members, so
-- the back-office needs a second way in that is just as narrow:
--   * withStaff() sets app.staff_user_id for one transaction (SET LOCAL), after the staff gate
--     has checked the session, two-factor and a recent sign-in. The runtime role can set any
--     setting, exactly as it sets app.org_id: the setting is the app's claim, not a secret.
--   * the database checks the claim on every query: app_staff_reader() is true only while that
--     user exists, holds a staff role, is active and not deactivated, and has two-factor on. A
--     staff member removed a second ago reads nothing, whatever the app believes.
--   * the policies below are FOR SELECT only: a staff transaction can read every org and write
--     none (insert, update and delete still need org_id = app_current_org()). Staff actions go
--     through the owning module's service inside withOrg(), with their own audit entries.
-- Used as (select app_staff_reader()) so it is evaluated once per query, not once per row.
create function app_staff_reader() returns boolean
  language sql stable
  as $$
    select exists (
      select 1 from users u
       where u.id = nullif(current_setting('app.staff_user_id', true), '')::uuid
         and u.staff_role is not null
         and u.is_active
         and u.deactivated_at is null
         and u.totp_enabled_at is not null
    )
  $$;
grant execute on function app_staff_reader() to ledgerworks_runtime;

create policy organizations_staff_read on organizations for select using ((select app_staff_reader()));
create policy memberships_staff_read on memberships for select using ((select app_staff_reader()));
create policy audit_log_staff_read on audit_log for select using ((select app_staff_reader()));
create policy task_runs_staff_read on task_runs for select using ((select app_staff_reader()));
create policy invitations_staff_read on invitations for select using ((select app_staff_reader()));
create policy vendors_staff_read on vendors for select using ((select app_staff_reader()));
create policy invoices_staff_read on invoices for select using ((select app_staff_reader()));
create policy invoice_status_history_staff_read on invoice_status_history for select using ((select app_staff_reader()));
create policy invoice_approvals_staff_read on invoice_approvals for select using ((select app_staff_reader()));
create policy invoice_comments_staff_read on invoice_comments for select using ((select app_staff_reader()));
create policy invoice_status_counts_staff_read on invoice_status_counts for select using ((select app_staff_reader()));
create policy payouts_staff_read on payouts for select using ((select app_staff_reader()));
create policy payout_approvals_staff_read on payout_approvals for select using ((select app_staff_reader()));
create policy payout_status_history_staff_read on payout_status_history for select using ((select app_staff_reader()));
create policy imports_staff_read on imports for select using ((select app_staff_reader()));
create policy import_rejections_staff_read on import_rejections for select using ((select app_staff_reader()));
create policy exports_staff_read on exports for select using ((select app_staff_reader()));
create policy monthly_reports_staff_read on monthly_reports for select using ((select app_staff_reader()));
create policy notification_preferences_staff_read on notification_preferences for select using ((select app_staff_reader()));
create policy notification_queue_staff_read on notification_queue for select using ((select app_staff_reader()));

-- What the back-office lists search and sort on across all organizations. Sorts are keyset
-- (sort column, then the primary key); prefix searches use text_pattern_ops on the lowered
-- value; "contains" searches use trigrams (pg_trgm, created in 0003) and need 3+ characters.
create index organizations_created_idx on organizations (created_at, id);
create index organizations_name_idx on organizations (name, id);
create index organizations_name_trgm_idx on organizations using gin (lower(name) gin_trgm_ops);
create index organizations_slug_prefix_idx on organizations (slug text_pattern_ops);

create index users_created_idx on users (created_at, id);
create index users_email_trgm_idx on users using gin (email gin_trgm_ops);
create index users_name_trgm_idx on users using gin (lower(name) gin_trgm_ops);

create index memberships_created_idx on memberships (created_at, org_id, user_id);

create index invitations_created_idx on invitations (created_at, org_id, id);
create index invitations_email_prefix_idx on invitations (email text_pattern_ops);

create index vendors_created_idx on vendors (created_at, org_id, id);
create index vendors_name_trgm_idx on vendors using gin (lower(name) gin_trgm_ops);
create index vendors_tax_id_idx on vendors (tax_id_normalized);

create index invoices_all_created_idx on invoices (created_at, org_id, id);
create index invoices_number_prefix_idx on invoices (lower(number) text_pattern_ops);

create index payouts_created_idx on payouts (created_at, org_id, id);
create index payouts_reference_prefix_idx on payouts (lower(reference) text_pattern_ops);

create index imports_created_idx on imports (created_at, org_id, id);
create index imports_file_name_prefix_idx on imports (lower(file_name) text_pattern_ops);

create index exports_created_idx on exports (created_at, org_id, id);

create index monthly_reports_generated_idx on monthly_reports (generated_at, org_id, month);

create index task_runs_created_idx on task_runs (created_at, id);
create index task_runs_task_prefix_idx on task_runs (task text_pattern_ops);

create index mail_outbox_created_id_idx on mail_outbox (created_at, id);
create index mail_outbox_to_prefix_idx on mail_outbox (lower(to_address) text_pattern_ops);

create index csp_reports_received_id_idx on csp_reports (received_at, id);
create index csp_reports_directive_idx on csp_reports (violated_directive text_pattern_ops);
create index csp_reports_blocked_idx on csp_reports (blocked_uri text_pattern_ops);

create index sessions_created_idx on sessions (created_at, public_id);

create index audit_log_created_idx on audit_log (created_at, id);
create index audit_log_action_idx on audit_log (action text_pattern_ops);
create index audit_log_target_idx on audit_log (target_id);
create index audit_log_request_idx on audit_log (request_id);
