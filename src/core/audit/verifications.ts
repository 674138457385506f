// The verdicts of the audit log's verifications (audit_verifications): kept by the nightly task and
// by `ledgerworks audit verify`, read by the operations overview and `ledgerworks check --deploy`.
import type { DbOrTx } from '../db/pool.ts';
import { chainBreak, describeBreak, describeVerdict, type ChainBreak, type Verdict } from './verify.ts';

export type VerificationSource = 'task' | 'cli';

/** Keeps the verdict: the latest is what staff see and what `check --deploy` reports. */
export async function recordVerification(db: DbOrTx, v: Verdict, source: VerificationSource): Promise<void> {
  await db
    .insertInto('audit_verifications')
    .values({
      started_at: v.startedAt,
      finished_at: v.finishedAt,
      source,
      org_slug: v.orgSlug,
      ok: v.ok,
      chains: v.chains,
      entries: v.entries,
      failures: v.breaks.length,
      first_failure: v.breaks[0] ? JSON.stringify(v.breaks[0]) : null,
    })
    .execute();
}

export type LastVerification = {
  finished_at: Date;
  source: VerificationSource;
  ok: boolean;
  chains: number;
  entries: string;
  failures: number;
  first_failure: ChainBreak | null;
};

/** The latest verification of the whole log, or null when it was never verified. */
export async function lastVerification(db: DbOrTx): Promise<LastVerification | null> {
  const row = await db
    .selectFrom('audit_verifications')
    .select(['finished_at', 'source', 'ok', 'chains', 'entries', 'failures', 'first_failure'])
    .where('org_slug', 'is', null)
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  // A verdict kept by another version may hold another shape: the verdict stands, the details go.
  const failure = chainBreak.safeParse(row.first_failure);
  return { ...row, first_failure: failure.success ? failure.data : null };
}

/** A verification older than this is stale: the nightly one did not run (or could not finish). */
export const VERIFICATION_FRESH_MS = 48 * 3600_000;

export type VerificationStatus = {
  level: 'ok' | 'stale' | 'never' | 'failed';
  message: string;
};

function ageOf(ms: number): string {
  const h = Math.floor(ms / 3600_000);
  if (h < 1) return `${Math.max(0, Math.round(ms / 60_000))} min ago`;
  return h < 48 ? `${h} h ago` : `${Math.floor(h / 24)} days ago`;
}

/** What the last verification says about the log now: what `check --deploy` prints and staff see. */
export function verificationStatus(last: LastVerification | null, now: Date): VerificationStatus {
  if (!last)
    return {
      level: 'never',
      message: 'never verified: run ledgerworks audit verify (a worker verifies it every night at 04:00 UTC)',
    };
  const age = now.getTime() - last.finished_at.getTime();
  const counts = describeVerdict({ chains: last.chains, entries: Number(last.entries), broken: last.failures });
  if (!last.ok)
    return {
      level: 'failed',
      message: `verification FAILED ${ageOf(age)} (${counts})${last.first_failure ? `; first: ${describeBreak(last.first_failure)}` : ''}`,
    };
  if (age > VERIFICATION_FRESH_MS)
    return {
      level: 'stale',
      message: `last verified ${ageOf(age)}, over 2 days ago (${counts}): is the nightly verification running?`,
    };
  return { level: 'ok', message: `verified ${ageOf(age)} (${counts})` };
}
