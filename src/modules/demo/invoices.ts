// Realistic invoice volumes for the demo and the benchmark, generated in SQL: vendors in a few
// currencies, invoices spread over the last 14 months in every state of the workflow, the
// approvals, payouts and status history that go with them. Everything goes through the
// workflow's legal transitions, so the database's triggers agree with it.
import { sql } from 'kysely';
import type { Tx } from '../../core/db/pool.ts';

const VENDORS: [name: string, taxId: string, iban: string, currency: string][] = [
  ['Acme Office Supplies', 'DE811234560', 'DE89370400440532013000', 'EUR'],
  ['Globex Cloud Services', 'IE6388047V', 'IE29AIBK93115212345678', 'EUR'],
  ['Initech Software', 'US-94-1234567', 'GB29NWBK60161331926819', 'USD'],
  ['Umbrella Logistics', 'NL123456789B01', 'NL91ABNA0417164300', 'EUR'],
  ['Stark Industrial', 'GB123456789', 'GB82WEST12345698765432', 'GBP'],
  ['Wayne Travel Agency', 'FR40303265045', 'FR1420041010050500013M02606', 'EUR'],
  ['Hooli Marketing', 'US-95-7654321', 'GB33BUKB20201555555555', 'USD'],
  ['Vandelay Imports', 'BE0123456789', 'BE68539007547034', 'EUR'],
  ['Soylent Catering', 'AT-U12345678', 'AT611904300234573201', 'EUR'],
  ['Tyrell Consulting', 'CHE-123.456.789', 'CH9300762011623852957', 'CHF'],
  ['Cyberdyne Hardware', 'SE556677889901', 'SE4550000000058398257466', 'SEK'],
  ['Wonka Events', 'DK12345678', 'DK5000400440116243', 'DKK'],
];

const DESCRIPTIONS = [
  'Monthly subscription',
  'Consulting hours',
  'Office furniture',
  'Flights and hotel',
  'Cloud hosting',
  'Printer paper and toner',
  'Team offsite catering',
  'Laptop replacements',
  'Marketing campaign',
  'Freight and customs',
  'Annual licence renewal',
  'Support contract',
];

export type GenerateOptions = {
  orgId: string;
  count: number;
  submitterId: string;
  approverId: string;
  payerId: string;
};

/** Adds the demo vendors to an org (skipping tax ids it already has); returns all its vendors. */
export async function ensureVendors(tx: Tx, orgId: string): Promise<{ id: string; default_currency: string }[]> {
  await tx
    .insertInto('vendors')
    .values(
      VENDORS.map(([name, tax_id, iban, default_currency]) => ({
        org_id: orgId,
        name,
        tax_id,
        iban,
        default_currency,
        email: `billing@${name.split(' ')[0]!.toLowerCase()}.example`,
      })),
    )
    .onConflict((oc) => oc.columns(['org_id', 'tax_id_normalized']).doNothing())
    .execute();
  return tx
    .selectFrom('vendors')
    .select(['id', 'default_currency'])
    .where('org_id', '=', orgId)
    .orderBy('name')
    .execute();
}

/**
 * Generates `count` invoices in the org (in the caller's transaction, which must be scoped to
 * the org). About 5% stay drafts, 15% await approval, 5% are rejected, 15% are approved,
 * 10% sit in payouts not yet paid and 50% are paid, like a team that has used the product
 * for a year.
 */
export async function generateInvoices(tx: Tx, o: GenerateOptions): Promise<void> {
  const vendors = await ensureVendors(tx, o.orgId);
  const vendorIds = vendors.map((v) => v.id);
  const currencies = vendors.map((v) => v.default_currency);
  // Invoice numbers and payout references continue after what the org already has.
  const start = Number(
    (
      await tx
        .selectFrom('invoices')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('org_id', '=', o.orgId)
        .executeTakeFirstOrThrow()
    ).n,
  );
  // Drafts first: every invoice starts as one.
  await sql`
    insert into invoices (org_id, vendor_id, number, issue_date, due_date, amount_minor, currency, description, category, created_by, created_at)
    select ${o.orgId}::uuid,
           (${vendorIds}::uuid[])[1 + (g % ${vendorIds.length})],
           'INV-' || to_char(current_date - (g % 420), 'YYMM') || '-' || lpad(g::text, 6, '0'),
           current_date - (g % 420),
           current_date - (g % 420) + (array[14, 30, 30, 45, 60])[1 + (g % 5)],
           (1500 + (abs(hashint4(g)) % 60000) * (1 + (g % 7 = 0)::int * 9))::bigint * (case when (${currencies}::text[])[1 + (g % ${vendorIds.length})] in ('SEK', 'DKK') then 10 else 1 end),
           (${currencies}::text[])[1 + (g % ${vendorIds.length})],
           (${DESCRIPTIONS}::text[])[1 + (abs(hashint4(g + 7)) % ${DESCRIPTIONS.length})],
           (array['software', 'hardware', 'services', 'travel', 'office', 'marketing', 'rent', 'utilities', 'other'])[1 + (abs(hashint4(g + 13)) % 9)],
           ${o.submitterId}::uuid,
           (current_date - (g % 420))::timestamptz + interval '9 hours'
      from generate_series(${start + 1}::int, ${start + o.count}::int) g`.execute(tx);

  // A stable pseudo-random bucket 0..99 per invoice decides how far it got.
  const bucket = sql`(abs(hashtext(id::text)) % 100)`;
  const mine = sql`org_id = ${o.orgId}::uuid`;
  const history = async (
    from: string,
    to: string,
    where: ReturnType<typeof sql>,
    actor: string,
    note: string | null = null,
  ) => {
    await sql`
      insert into invoice_status_history (org_id, invoice_id, from_status, to_status, actor_id, note, created_at)
      select org_id, id, ${from}, ${to}, ${actor}::uuid, ${note}, coalesce(decided_at, submitted_at, created_at) + interval '1 hour'
        from invoices where ${mine} and status = ${to} and ${where}`.execute(tx);
  };
  const move = async (
    from: string,
    to: string,
    where: ReturnType<typeof sql>,
    set: ReturnType<typeof sql>,
    actor: string,
    note: string | null = null,
  ) => {
    await sql`update invoices set status = ${to}, ${set} where ${mine} and status = ${from} and ${where}`.execute(tx);
    await history(from, to, where, actor, note);
  };

  await move(
    'draft',
    'submitted',
    sql`${bucket} >= 5`,
    sql`submitted_by = ${o.submitterId}::uuid, submitted_at = created_at + interval '2 hours', approvals_required = case when amount_minor >= (select approval_threshold_minor from organizations where id = ${o.orgId}::uuid) then 2 else 1 end`,
    o.submitterId,
  );
  // Each approval records the limit it was checked against, as the app does (migration 0014).
  await sql`
    insert into invoice_approvals (org_id, invoice_id, approver_id, created_at, approval_limit_minor, approval_limit_currency)
    select i.org_id, i.id, m.user_id, i.submitted_at + interval '1 day', m.approval_limit_minor, o.default_currency
      from invoices i
      join memberships m on m.org_id = i.org_id and m.user_id = ${o.approverId}::uuid
      join organizations o on o.id = i.org_id
     where i.org_id = ${o.orgId}::uuid and i.status = 'submitted' and (abs(hashtext(i.id::text)) % 100) >= 25`.execute(
    tx,
  );
  await move(
    'submitted',
    'rejected',
    sql`${bucket} between 20 and 24`,
    sql`decided_at = submitted_at + interval '1 day', rejection_reason = 'Duplicate of an invoice already paid'`,
    o.approverId,
    'Duplicate of an invoice already paid',
  );
  // Invoices that need a second approval wait for it ("1 of 2 approvals").
  await move(
    'submitted',
    'approved',
    sql`${bucket} >= 25 and approvals_required = 1`,
    sql`decided_at = submitted_at + interval '1 day'`,
    o.approverId,
  );

  // Payouts: the paid ones per currency and month, and one per currency still waiting.
  await sql`
    insert into payouts (org_id, reference, currency, created_by, created_at)
    select distinct ${o.orgId}::uuid, 'PO-' || to_char(date_trunc('month', issue_date), 'YYYYMM') || '-' || currency || '-' || ${String(start)}, currency, ${o.payerId}::uuid,
           least(date_trunc('month', issue_date) + interval '27 days', now() - interval '4 days')
      from invoices where ${mine} and status = 'approved' and ${bucket} >= 50
    union
    select distinct ${o.orgId}::uuid, 'PO-OPEN-' || currency || '-' || ${String(start)}, currency, ${o.payerId}::uuid, now() - interval '1 day'
      from invoices where ${mine} and status = 'approved' and ${bucket} between 40 and 49`.execute(tx);
  await move(
    'approved',
    'scheduled',
    sql`${bucket} >= 50`,
    sql`payout_id = (select p.id from payouts p where p.org_id = invoices.org_id and p.reference = 'PO-' || to_char(date_trunc('month', invoices.issue_date), 'YYYYMM') || '-' || invoices.currency || '-' || ${String(start)})`,
    o.payerId,
  );
  await move(
    'approved',
    'scheduled',
    sql`${bucket} between 40 and 49`,
    sql`payout_id = (select p.id from payouts p where p.org_id = invoices.org_id and p.reference = 'PO-OPEN-' || invoices.currency || '-' || ${String(start)})`,
    o.payerId,
  );
  await sql`insert into payout_approvals (org_id, payout_id, approver_id, created_at)
            select org_id, id, ${o.approverId}::uuid, created_at + interval '1 day' from payouts where org_id = ${o.orgId}::uuid and status = 'pending' and reference like 'PO-2%'`.execute(
    tx,
  );
  await sql`update payouts set status = 'approved', approved_at = created_at + interval '1 day' where org_id = ${o.orgId}::uuid and status = 'pending' and reference like 'PO-2%'`.execute(
    tx,
  );
  await sql`update payouts set status = 'paid', paid_at = created_at + interval '3 days', paid_by = ${o.payerId}::uuid, bank_reference = 'BANK-' || substr(md5(reference), 1, 10)
            where org_id = ${o.orgId}::uuid and status = 'approved' and reference like 'PO-2%'`.execute(tx);
  await sql`insert into payout_status_history (org_id, payout_id, from_status, to_status, actor_id, created_at)
            select org_id, id, null, 'pending', created_by, created_at from payouts where org_id = ${o.orgId}::uuid and reference like ${`%-${start}`}
            union all
            select org_id, id, 'pending', 'approved', ${o.approverId}::uuid, approved_at from payouts where org_id = ${o.orgId}::uuid and approved_at is not null and reference like ${`%-${start}`}
            union all
            select org_id, id, 'approved', 'paid', paid_by, paid_at from payouts where org_id = ${o.orgId}::uuid and status = 'paid' and reference like ${`%-${start}`}`.execute(
    tx,
  );
  await move(
    'scheduled',
    'paid',
    sql`${bucket} >= 50`,
    sql`paid_at = (select p.paid_at from payouts p where p.org_id = invoices.org_id and p.id = invoices.payout_id)`,
    o.payerId,
  );
}
