-- The operations overview counts the messages still waiting or being sent, however old, without
-- reading the whole outbox: a partial index holds just those rows (few, whatever the outbox's size).
-- Runs have theirs since 0001 (task_runs_status_idx).
create index mail_outbox_open_idx on mail_outbox (status) where status in ('queued', 'sending');
