// What every payout operation starts with: the actor, and the payout read through the org.
import type { Tx } from '../../core/db/pool.ts';
import { NotFoundError } from '../../core/http/errors.ts';
import * as q from './queries.ts';

export async function payoutOrThrow(tx: Tx, orgId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const p = await q.payout(tx, orgId, id, opts);
  if (!p) throw new NotFoundError('That payout does not exist.');
  return p;
}
