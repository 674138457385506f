// What the dashboard shows of the invoices: what needs the viewer, money waiting, spend, aging.
// Every total is computed in SQL from integer minor units.
import type { UserActor } from '../../core/audit/audit.ts';
import { sql } from 'kysely';
import type { Db } from '../../core/db/pool.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { authorize } from './policy.ts';
import { approverOf } from './queue.ts';
import { eligibleToApproveSql } from './approval-policy.ts';

export type CurrencyTotal = { currency: string; minor_units: number; count: number; total: string };
export type AgingBucket = { bucket: 'current' | '1-30' | '31-60' | '61-90' | '90+'; count: number; total: string };

export async function financeSummary(db: Db, actor: UserActor, org: OrgContext) {
  authorize(org, 'invoice.view');
  return withOrg(db, org.id, actor.userId, async (tx) => {
    const base = tx.selectFrom('invoices as i').where('i.org_id', '=', org.id);
    const minorUnits = new Map(
      (await tx.selectFrom('currencies').select(['code', 'minor_units']).execute()).map((c) => [c.code, c.minor_units]),
    );
    // Aggregated per currency first (an index range on status), joined to nothing.
    const totalsFor = async (statuses: ('submitted' | 'approved' | 'scheduled')[]): Promise<CurrencyTotal[]> => {
      const rows = await base
        .where('i.status', 'in', statuses)
        .select([
          'i.currency',
          (eb) => eb.fn.countAll<string>().as('count'),
          sql<string>`sum(i.amount_minor)::text`.as('total'),
        ])
        .groupBy('i.currency')
        .orderBy(sql`sum(i.amount_minor)`, 'desc')
        .execute();
      return rows.map((r) => ({
        currency: r.currency,
        minor_units: minorUnits.get(r.currency) ?? 2,
        count: Number(r.count),
        total: r.total,
      }));
    };

    const settings = await tx
      .selectFrom('organizations as o')
      .innerJoin('currencies as c', 'c.code', 'o.default_currency')
      .select(['o.default_currency', 'c.minor_units'])
      .where('o.id', '=', org.id)
      .executeTakeFirstOrThrow();
    const currency = settings.default_currency;
    const spent = ['approved', 'scheduled', 'paid'] as const;

    const approver = await approverOf(tx, org, actor.userId);
    const waitingForMe = approver
      ? Number(
          (
            await base
              .where(eligibleToApproveSql('i', approver))
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      : 0;
    const mine = await base
      .where('i.status', 'in', ['draft', 'rejected'])
      .where((eb) => eb.or([eb('i.created_by', '=', actor.userId), eb('i.submitted_by', '=', actor.userId)]))
      .select([
        sql<string>`count(*) filter (where i.status = 'draft')`.as('drafts'),
        sql<string>`count(*) filter (where i.status = 'rejected' and i.decided_at > now() - interval '30 days')`.as(
          'rejected',
        ),
      ])
      .executeTakeFirstOrThrow();
    const overdue = await base
      .where('i.status', 'in', ['submitted', 'approved', 'scheduled'])
      .where('i.due_date', '<', sql<string>`current_date`)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();

    const months = await tx
      .selectFrom(
        sql<{
          month: string;
        }>`generate_series(date_trunc('month', current_date) - interval '11 months', date_trunc('month', current_date), interval '1 month')`.as(
          'm',
        ),
      )
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('invoices as i')
            .where('i.org_id', '=', org.id)
            .where('i.currency', '=', currency)
            .where('i.status', 'in', spent)
            .where('i.issue_date', '>=', sql<string>`(date_trunc('month', current_date) - interval '11 months')::date`)
            .select([
              sql<string>`date_trunc('month', i.issue_date)`.as('month'),
              sql<string>`sum(i.amount_minor)::text`.as('total'),
            ])
            .groupBy(sql`date_trunc('month', i.issue_date)`)
            .as('s'),
        (j) => j.onRef('s.month', '=', sql.ref('m.m')),
      )
      .select([sql<string>`to_char(m.m, 'YYYY-MM')`.as('month'), sql<string>`coalesce(s.total, '0')`.as('total')])
      .orderBy(sql`m.m`)
      .execute();

    const vendors = await tx
      .selectFrom((eb) =>
        eb
          .selectFrom('invoices as i')
          .where('i.org_id', '=', org.id)
          .where('i.currency', '=', currency)
          .where('i.status', 'in', spent)
          .where('i.issue_date', '>=', sql<string>`(current_date - interval '12 months')::date`)
          .select(['i.vendor_id', sql<string>`sum(i.amount_minor)`.as('total')])
          .groupBy('i.vendor_id')
          .orderBy(sql`sum(i.amount_minor)`, 'desc')
          .limit(8)
          .as('s'),
      )
      .innerJoin('vendors as v', (j) => j.on('v.org_id', '=', org.id).onRef('v.id', '=', 's.vendor_id'))
      .select(['v.id', 'v.name', sql<string>`s.total::text`.as('total')])
      .orderBy(sql`s.total`, 'desc')
      .execute();

    const aging = await base
      .where('i.currency', '=', currency)
      .where('i.status', 'in', ['submitted', 'approved', 'scheduled'])
      .select([
        sql<AgingBucket['bucket']>`case
          when i.due_date >= current_date then 'current'
          when current_date - i.due_date <= 30 then '1-30'
          when current_date - i.due_date <= 60 then '31-60'
          when current_date - i.due_date <= 90 then '61-90'
          else '90+' end`.as('bucket'),
        (eb) => eb.fn.countAll<string>().as('count'),
        sql<string>`sum(i.amount_minor)::text`.as('total'),
      ])
      .groupBy('bucket')
      .execute();
    const buckets: AgingBucket['bucket'][] = ['current', '1-30', '31-60', '61-90', '90+'];

    return {
      currency,
      minorUnits: settings.minor_units,
      canApprove: approver !== null,
      attention: {
        waitingForMe,
        drafts: Number(mine.drafts),
        rejected: Number(mine.rejected),
        overdue: Number(overdue.n),
      },
      awaitingApproval: await totalsFor(['submitted']),
      approvedUnpaid: await totalsFor(['approved', 'scheduled']),
      spendByMonth: months,
      spendByVendor: vendors,
      aging: buckets.map((b) => {
        const row = aging.find((a) => a.bucket === b);
        return { bucket: b, count: Number(row?.count ?? 0), total: row?.total ?? '0' };
      }),
    };
  });
}

export type FinanceSummary = Awaited<ReturnType<typeof financeSummary>>;
