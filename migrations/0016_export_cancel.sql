-- An export that staff stopped from the back-office (its build was stuck or unwanted) is
-- 'cancelled': no file, never downloadable, shown to the org as stopped by support. The check
-- is replaced without a long lock: added NOT VALID, then validated (a read that blocks no write).
alter table exports drop constraint exports_status;
alter table exports
  add constraint exports_status check (status in ('streamed', 'queued', 'running', 'ready', 'expired', 'cancelled'))
  not valid;
alter table exports validate constraint exports_status;
