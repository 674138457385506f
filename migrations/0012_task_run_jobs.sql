-- Each task run names the graphile-worker job that runs it, so that the back-office can act on
-- that job (run a retrying one now, cancel a waiting one) and show when it runs next. Runs
-- recorded before this column have none; they are found by the run id in the job's payload.
alter table task_runs add column job_id bigint;
