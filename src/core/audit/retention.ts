// Audit retention (AUDIT_RETENTION_DAYS, unset: entries are kept for ever). The rule lives in
// PostgreSQL, in audit_log_apply_retention (migration 0015): whole calendar months older than the
// age are removed from the start of each chain, the chain keeps the removed segment's last hash
// as its anchor, and each removal is recorded (audit_log_retention and an audit.retention_applied
// entry at the end of the chain). This cleanup calls it one chain per transaction, so an org's
// audit writes wait for its own chain's removal only.
import { sql } from 'kysely';
import { auditActions } from './actions.ts';
import { cleanup } from '../tasks/housekeeping.ts';

/** Written by audit_log_apply_retention itself, in SQL. */
export const AUDIT_LOG_AUDIT = auditActions('audit', ['retention_applied']);

export const AUDIT_RETENTION = cleanup({
  name: 'housekeeping.apply_audit_retention',
  label: 'Remove audit entries past their retention',
  cron: '25 3 * * *',
  remove: async (db, _now, { settings }) => {
    const days = settings.auditRetentionDays;
    if (days === null) return 0;
    const chains = await sql<{ chain: string }>`select chain from audit_chains()`.execute(db);
    let removed = 0;
    for (const { chain } of chains.rows) {
      const r = await db.transaction().execute((tx) =>
        sql<{
          n: string;
        }>`select audit_log_apply_retention(make_interval(days => ${days}), ${chain}::uuid) as n`.execute(tx),
      );
      removed += Number(r.rows[0]?.n ?? 0);
    }
    return removed;
  },
});
