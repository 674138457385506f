// The payouts list page's data.
import type { UserActor } from '../../core/audit/audit.ts';
import { maskIban } from '../../core/banking.ts';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { authorize } from './policy.ts';
import * as q from './queries.ts';

/** The list page: payouts, what is waiting to be paid, and the paying account (masked). */
export async function payoutsOverview(db: Db, actor: UserActor, org: OrgContext) {
  authorize(org, 'payout.view');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const finance = await q.orgFinance(tx, org.id);
    return {
      payouts: await q.payouts(tx, org.id),
      waiting: await q.approvedUnscheduledTotals(tx, org.id),
      bank: {
        name: finance.bank_account_name,
        iban: finance.bank_iban ? maskIban(finance.bank_iban) : null,
        bic: finance.bank_bic,
      },
    };
  });
}
