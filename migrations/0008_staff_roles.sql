-- Staff roles for the back-office (/staff), separate from org membership.
--   support:   reads everything, account actions, impersonation
--   operator:  reads everything, task/import/export/mail/CSP operations, no impersonation
--   superuser: all of it, plus managing staff and the destructive actions
-- The old is_staff flag becomes superuser (createsuperuser was the only way to set it).
alter table users add column staff_role text
  constraint users_staff_role check (staff_role in ('support', 'operator', 'superuser'));
update users set staff_role = 'superuser' where is_staff;
alter table users drop column is_staff;
create index users_staff_idx on users (staff_role) where staff_role is not null;

-- The staff area asks for the password again after 12 hours and after 30 idle minutes in it:
-- when this session last proved its password (sign-in or re-entry), and when it last used /staff.
alter table sessions add column authenticated_at timestamptz;
update sessions set authenticated_at = created_at;
alter table sessions alter column authenticated_at set default now();
alter table sessions alter column authenticated_at set not null;
alter table sessions add column staff_seen_at timestamptz;
