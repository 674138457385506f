// The nightly verification of the audit log's hash chains: its verdict is kept for staff
// (/staff/operations) and for `ledgerworks check --deploy`. A broken chain is a finding, not a
// failed run: retrying cannot mend it, so the run succeeds and its verdict says what is broken.
import { z } from 'zod';
import { defineSchedule, defineTask } from '../tasks/tasks.ts';
import { recordVerification } from './verifications.ts';
import { verifyAuditLog } from './verify.ts';

export const verifyAuditChains = defineTask({
  name: 'audit.verify_chains',
  label: 'Verify the audit log',
  input: z.object({}).strict(),
  maxAttempts: 3,
  run: async (_input, ctx) => {
    const verdict = await verifyAuditLog(ctx.db, {
      onPage: (done, total) => ctx.progress(done, Math.max(done, total)),
    });
    await recordVerification(ctx.db, verdict, 'task');
    return { ok: verdict.ok, chains: verdict.chains, entries: verdict.entries, broken: verdict.breaks.length };
  },
});

/** After the 03:xx cleanups (the audit retention among them), so the verdict covers what they left. */
export const VERIFY_AUDIT_SCHEDULE = defineSchedule({
  identifier: 'audit.verify_chains',
  cron: '0 4 * * *',
  task: verifyAuditChains,
  input: {},
  backfillHours: 12,
});
