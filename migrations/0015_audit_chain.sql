-- The audit log cannot be rewritten unnoticed.
--
-- 1. Append-only for every role, the owner included: UPDATE, DELETE and TRUNCATE raise an error
--    from a trigger. The one way to remove entries is audit_log_apply_retention() below, which
--    removes whole old segments of a chain and records that it did.
-- 2. A hash chain per organization (and one for the entries of no organization): each row stores
--    its place in its chain (chain_seq), the hash of the row before it (prev_hash) and its own hash
--    over the canonical form of its fields (audit_log_canonical). A BEFORE INSERT trigger computes
--    them in the transaction of the insert, holding the chain's head row (audit_chain_heads) locked
--    until commit: two inserts into one chain take turns, two chains never wait on each other.
--
-- Why both: a superuser (or the owner) can always disable triggers or drop them. The chain is what
-- makes such an edit visible afterwards: `ledgerworks audit verify` recomputes every hash from the
-- row's fields and follows the links, and reports the first row whose hash does not match (edited)
-- or whose predecessor is missing (deleted). It cannot tell a chain that was recomputed end to end
-- by someone with full control of the database: keep the verdicts (audit_verifications) and the
-- head hashes it prints outside the database if that is your threat.
--
-- The migration backfills the chain of existing rows in (created_at, id) order. It holds the table
-- exclusively while it does (inserts wait) and takes time proportional to the log: measure on a
-- copy of production first.

-- The chain an entry belongs to: its organization, or the nil uuid for entries of no organization
-- (gen_random_uuid never returns the nil uuid).
create function audit_chain(org_id uuid) returns uuid
  language sql immutable parallel safe
  as $$ select coalesce(org_id, '00000000-0000-0000-0000-000000000000'::uuid) $$;

alter table audit_log
  add column chain_seq bigint,
  add column prev_hash bytea,
  add column hash bytea;

-- THE canonical form of an entry, version 1: the one definition the insert trigger and
-- `ledgerworks audit verify` both use. It is the text of a jsonb object whose keys are the column
-- names and whose values are
--   id, chain_seq                     JSON numbers
--   org_id, actor_user_id,
--   impersonator_user_id              the uuid as text
--   action, target_type, target_id,
--   request_id                        the text
--   created_at                        UTC, microseconds: 2026-12-02T00:35:05.123456Z
--   changes                           the jsonb value itself
--   ip                                inet cast to text (always with its prefix: 10.0.0.1/32)
--   prev_hash                         lower-case hex
-- with every null-valued key left out. jsonb prints its keys in one order (shorter first, then
-- bytewise) with ", " and ": " between them, so the text depends on the values only, never on the
-- session (time zone, DateStyle, bytea_output) or on the order of the columns. The hash is SHA-256
-- of that text in UTF-8; hash itself is not part of it.
--
-- A new column of audit_log must be added here, nullable with no default for existing rows (their
-- key is then left out and their hash stays the same); a test fails while a column is missing.
create function audit_log_canonical(a audit_log) returns text
  language sql stable parallel safe
  as $$
    select jsonb_object_agg(key, value)::text
      from jsonb_each(jsonb_build_object(
             'id', a.id,
             'chain_seq', a.chain_seq,
             'org_id', a.org_id,
             'created_at', to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
             'actor_user_id', a.actor_user_id,
             'impersonator_user_id', a.impersonator_user_id,
             'action', a.action,
             'target_type', a.target_type,
             'target_id', a.target_id,
             'changes', a.changes,
             'request_id', a.request_id,
             'ip', a.ip::text,
             'prev_hash', encode(a.prev_hash, 'hex')))
     where value <> 'null'::jsonb
  $$;

create function audit_log_hash(a audit_log) returns bytea
  language sql stable parallel safe
  as $$ select sha256(convert_to(audit_log_canonical(a), 'UTF8')) $$;

-- Each chain's head (its last entry) and anchor (where it starts: 0 and no hash, or the last entry
-- a retention removed). Only the owner's functions read or write it.
create table audit_chain_heads (
  chain       uuid primary key,
  head_seq    bigint not null default 0,
  head_hash   bytea,
  anchor_seq  bigint not null default 0,
  anchor_hash bytea,
  constraint audit_chain_heads_order check (anchor_seq between 0 and head_seq),
  constraint audit_chain_heads_hashes check ((head_seq = 0) = (head_hash is null) and (anchor_seq = 0) = (anchor_hash is null))
);

-- Backfill: every existing entry joins its chain in (created_at, id) order (the ALTER TABLE above
-- holds the table until this migration commits, so no entry is written meanwhile).
do $$
declare
  r audit_log;
  cur uuid;
  seq bigint := 0;
  prev bytea;
begin
  for r in select * from audit_log order by audit_chain(org_id), created_at, id loop
    if cur is distinct from audit_chain(r.org_id) then
      if cur is not null then
        insert into audit_chain_heads (chain, head_seq, head_hash) values (cur, seq, prev);
      end if;
      cur := audit_chain(r.org_id);
      seq := 0;
      prev := null;
    end if;
    seq := seq + 1;
    r.chain_seq := seq;
    r.prev_hash := prev;
    r.hash := audit_log_hash(r);
    update audit_log set chain_seq = r.chain_seq, prev_hash = r.prev_hash, hash = r.hash where id = r.id;
    prev := r.hash;
  end loop;
  if cur is not null then
    insert into audit_chain_heads (chain, head_seq, head_hash) values (cur, seq, prev);
  end if;
end
$$;

alter table audit_log
  alter column chain_seq set not null,
  alter column hash set not null,
  add constraint audit_log_chain_seq_positive check (chain_seq > 0),
  add constraint audit_log_hash_length check (octet_length(hash) = 32 and (prev_hash is null or octet_length(prev_hash) = 32));
-- One entry per place in a chain; verify walks the chains along this index.
create unique index audit_log_chain_idx on audit_log (audit_chain(org_id), chain_seq);

-- Appends an entry to its chain: locks the chain's head row (created with the chain's first
-- entry) until the transaction ends, so the next insert into the same chain reads this one's hash.
-- SECURITY DEFINER: the runtime role cannot read or write the heads (and row-level security would
-- hide another org's entries from it).
create function audit_log_chain_append() returns trigger
  language plpgsql security definer set search_path = public
  as $$
  declare
    k uuid := audit_chain(new.org_id);
    h audit_chain_heads;
  begin
    select * into h from audit_chain_heads where chain = k for update;
    if not found then
      -- The chain's first entry. Two first entries at once: the second waits on the first's
      -- insert here, then finds its row locked above, as any later entry does.
      insert into audit_chain_heads (chain) values (k) on conflict (chain) do nothing;
      select * into strict h from audit_chain_heads where chain = k for update;
    end if;
    new.chain_seq := h.head_seq + 1;
    new.prev_hash := h.head_hash;
    new.hash := audit_log_hash(new);
    update audit_chain_heads set head_seq = new.chain_seq, head_hash = new.hash where chain = k;
    return new;
  end
  $$;

create trigger audit_log_chain_append
  before insert on audit_log
  for each row execute function audit_log_chain_append();

-- What each retention removed: the segment of one chain, and the hash of its last entry (the
-- prev_hash of the chain's new first entry). A row here is also the permit the delete trigger
-- checks: it names the transaction that may delete, the chain and the places in it.
create table audit_log_retention (
  id          bigint generated always as identity primary key,
  chain       uuid not null,
  from_seq    bigint not null,
  to_seq      bigint not null,
  removed     bigint not null,
  anchor_hash bytea not null,
  cutoff      timestamptz not null,
  applied_at  timestamptz not null default now(),
  applied_by  text not null default session_user,
  xact        xid8 not null default pg_current_xact_id(),
  constraint audit_log_retention_range check (from_seq between 1 and to_seq and removed between 0 and to_seq - from_seq + 1)
);
create index audit_log_retention_xact_idx on audit_log_retention (xact, chain);

-- Append-only. UPDATE and TRUNCATE are always refused; DELETE only of rows that a retention of this
-- very transaction recorded (the runtime role cannot write audit_log_retention; the owner could,
-- as it could disable this trigger: that is what the chain is for).
create function audit_log_refuse_change() returns trigger
  language plpgsql security definer set search_path = public
  as $$
  begin
    if tg_op = 'DELETE' then
      if exists (select 1 from audit_log_retention r
                  where r.xact = pg_current_xact_id() and r.chain = audit_chain(old.org_id)
                    and old.chain_seq between r.from_seq and r.to_seq) then
        return old;
      end if;
    end if;
    raise exception 'audit_log is append-only: % is not allowed (entries are removed only by audit_log_apply_retention)', tg_op
      using errcode = 'insufficient_privilege';
  end
  $$;

create trigger audit_log_append_only
  before update or delete on audit_log
  for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate
  before truncate on audit_log
  for each statement execute function audit_log_refuse_change();

-- Retention: removes, from one chain (chain = an org's id or audit_chain(null)) or from every
-- chain (null), the entries older than `older_than`, in whole calendar months (UTC): the cutoff is
-- the start of the month that `now() - older_than` falls in. What it removes is always the start
-- of a chain (up to its first entry at or after the cutoff), so the chain stays verifiable from
-- its new first entry: the head row keeps the removed segment's last hash as the chain's anchor.
-- Each removal is recorded in audit_log_retention and as an audit.retention_applied entry at the
-- end of that chain. At least a year is always kept, whoever calls it. Returns the rows removed.
--   select audit_log_apply_retention(interval '7 years');               -- every chain
--   select audit_log_apply_retention(interval '7 years', '<org uuid>');  -- one chain
create function audit_log_apply_retention(older_than interval, only_chain uuid default null) returns bigint
  language plpgsql security definer set search_path = public
  as $$
  declare
    cutoff timestamptz;
    h audit_chain_heads;
    cut bigint;
    n bigint;
    last_hash bytea;
    total bigint := 0;
  begin
    if older_than is null or older_than < interval '1 year' then
      raise exception 'audit_log_apply_retention keeps at least a year of the audit log (asked: %)', older_than
        using errcode = 'invalid_parameter_value';
    end if;
    cutoff := date_trunc('month', now() - older_than, 'UTC');
    for h in select * from audit_chain_heads where only_chain is null or chain = only_chain order by chain for update loop
      select coalesce(min(a.chain_seq), h.head_seq + 1) into cut
        from audit_log a
       where audit_chain(a.org_id) = h.chain and a.chain_seq > h.anchor_seq and a.created_at >= cutoff;
      continue when cut - 1 <= h.anchor_seq;
      select a.hash into strict last_hash from audit_log a where audit_chain(a.org_id) = h.chain and a.chain_seq = cut - 1;
      select count(*) into n from audit_log a
       where audit_chain(a.org_id) = h.chain and a.chain_seq between h.anchor_seq + 1 and cut - 1;
      insert into audit_log_retention (chain, from_seq, to_seq, removed, anchor_hash, cutoff)
        values (h.chain, h.anchor_seq + 1, cut - 1, n, last_hash, cutoff);
      delete from audit_log a where audit_chain(a.org_id) = h.chain and a.chain_seq between h.anchor_seq + 1 and cut - 1;
      update audit_chain_heads set anchor_seq = cut - 1, anchor_hash = last_hash where chain = h.chain;
      insert into audit_log (org_id, action, changes)
        values (nullif(h.chain, audit_chain(null)), 'audit.retention_applied',
                jsonb_build_object('removed', n, 'from_seq', h.anchor_seq + 1, 'to_seq', cut - 1,
                                   'older_than', older_than::text, 'cutoff', to_char(cutoff at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                   'anchor_hash', encode(last_hash, 'hex')));
      total := total + n;
    end loop;
    return total;
  end
  $$;

-- What verify reads, across row-level security but never an entry's content: the chains, and the
-- links of a chain with each hash recomputed from the row's fields.
create function audit_chains() returns table (
  chain uuid, org_id uuid, slug text, head_seq bigint, head_hash bytea, anchor_seq bigint, anchor_hash bytea)
  language sql stable security definer set search_path = public
  as $$
    select h.chain, o.id, o.slug, h.head_seq, h.head_hash, h.anchor_seq, h.anchor_hash
      from audit_chain_heads h
      left join organizations o on o.id = h.chain
     order by h.chain
  $$;

-- The links after (after_chain, after_seq), in chain order, at most `max_rows`; only of one chain
-- when only_chain is set. Every row is returned, also one whose chain has no head row (written
-- with the trigger off): verify reports it.
create function audit_chain_links(after_chain uuid, after_seq bigint, only_chain uuid, max_rows integer)
  returns table (chain uuid, id bigint, chain_seq bigint, created_at timestamptz, prev_hash bytea, hash bytea, computed bytea)
  language sql stable security definer set search_path = public
  as $$
    select audit_chain(a.org_id), a.id, a.chain_seq, a.created_at, a.prev_hash, a.hash, audit_log_hash(a)
      from audit_log a
     where (audit_chain(a.org_id), a.chain_seq) > (after_chain, after_seq)
       and (only_chain is null or audit_chain(a.org_id) = only_chain)
     order by audit_chain(a.org_id), a.chain_seq
     limit max_rows
  $$;

-- Each verification's verdict: the nightly task's and `ledgerworks audit verify`'s. Staff read the
-- latest on /staff/operations, `ledgerworks check --deploy` reports it.
create table audit_verifications (
  id            bigint generated always as identity primary key,
  started_at    timestamptz not null,
  finished_at   timestamptz not null default now(),
  source        text not null,
  org_slug      text,
  ok            boolean not null,
  chains        integer not null,
  entries       bigint not null,
  failures      integer not null,
  first_failure jsonb,
  constraint audit_verifications_source check (source in ('task', 'cli')),
  constraint audit_verifications_verdict check (ok = (failures = 0) and ok = (first_failure is null))
);
create index audit_verifications_finished_idx on audit_verifications (finished_at desc) where org_slug is null;

revoke execute on function audit_log_apply_retention(interval, uuid), audit_chains(), audit_chain_links(uuid, bigint, uuid, integer) from public;
grant execute on function audit_log_apply_retention(interval, uuid), audit_chains(), audit_chain_links(uuid, bigint, uuid, integer) to ledgerworks_runtime;
grant execute on function audit_chain(uuid) to ledgerworks_runtime;
grant select, insert on audit_verifications to ledgerworks_runtime;
