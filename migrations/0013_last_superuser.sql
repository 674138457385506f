-- The last superuser keeps the role: someone must always be able to manage staff. The service
-- refuses it first with a clear message (modules/staff/service.ts); this trigger is the wall behind
-- it, for SQL typed by hand too. Superuser changes are serialized by a transaction-scoped advisory
-- lock, and the check runs after it (a fresh snapshot under READ COMMITTED), so two superusers
-- stepping down at the same moment cannot both succeed.
create function users_keep_a_superuser() returns trigger
  language plpgsql
  as $$
  begin
    if old.staff_role = 'superuser' and (tg_op = 'DELETE' or new.staff_role is distinct from 'superuser') then
      perform pg_advisory_xact_lock(hashtext('ledgerworks.superusers'));
      if not exists (select 1 from users where staff_role = 'superuser' and id <> old.id) then
        raise exception 'the last superuser keeps the role: make someone else superuser first'
          using errcode = 'check_violation', constraint = 'users_last_superuser';
      end if;
    end if;
    return coalesce(new, old);
  end
  $$;

create trigger users_keep_a_superuser
  before update of staff_role or delete on users
  for each row execute function users_keep_a_superuser();
