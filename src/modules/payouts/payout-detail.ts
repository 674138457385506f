// The payout page's data.
import type { UserActor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { payoutOrThrow } from './load-payout.ts';
import { authorize } from './policy.ts';
import * as q from './queries.ts';

/** Everything the detail page shows. */
export async function payoutDetail(db: Db, actor: UserActor, org: OrgContext, id: string) {
  authorize(org, 'payout.view');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const payout = await payoutOrThrow(tx, org.id, id);
    return {
      payout,
      total: await q.payoutTotal(tx, org.id, id),
      vendors: await q.vendorLines(tx, org.id, id),
      invoices: await q.payoutInvoices(tx, org.id, id),
      approvals: await q.approvals(tx, org.id, id),
      history: await q.history(tx, org.id, id),
    };
  });
}
