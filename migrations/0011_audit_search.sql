-- The audit log's filters (the back-office list across orgs, and an org's Activity page): each
-- filter narrows through an index, newest first, so a search never scans the whole log.
-- Already indexed: the org (0001), the actor (0001), time (0009), the action prefix, the target
-- id and the request id (0009).
create index audit_log_impersonator_idx on audit_log (impersonator_user_id, created_at desc)
  where impersonator_user_id is not null;
create index audit_log_ip_idx on audit_log (ip, created_at desc) where ip is not null;
create index audit_log_target_type_idx on audit_log (target_type, target_id) where target_type is not null;
