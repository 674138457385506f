import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convert } from 'xmlbuilder2';
import { signUp, useTestApp, type Agent } from '../../testing/harness.ts';
import { buildInvoice, buildOrg, buildVendor, type BuiltOrg } from '../../testing/factories.ts';

const t = useTestApp();

/** The owner and people in each role (two accountants and two approvers, for the races). */
const PAYOUT_TEAM = {
  name: 'Payout Team',
  roles: ['admin', 'approver', 'approver2', 'accountant', 'accountant2', 'member', 'viewer'],
} as const;

/** Posts a form with repeated fields (invoice=…&invoice=…), with the CSRF token of the last page loaded. */
async function postPairs(agent: Agent, url: string, pairs: [string, string][]) {
  const body = new URLSearchParams([...pairs, ['_csrf', agent.csrf ?? '']]).toString();
  return agent.request({
    method: 'POST',
    url,
    payload: body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

async function createPayout(agent: Agent, slug: string, currency: string, invoiceIds: string[]) {
  await agent.get(`/o/${slug}/payouts`);
  return postPairs(agent, `/o/${slug}/payouts`, [
    ['currency', currency],
    ...invoiceIds.map((id): [string, string] => ['invoice', id]),
  ]);
}

async function act(agent: Agent, slug: string, payoutId: string, action: string, fields: Record<string, string> = {}) {
  await agent.get(`/o/${slug}/payouts`);
  return agent.post(`/o/${slug}/payouts/${payoutId}/${action}`, fields);
}

function payoutIdFrom(res: { headers: Record<string, unknown> }): string {
  const m = /\/payouts\/([0-9a-f-]{36})$/.exec(String(res.headers.location));
  assert.ok(m, `redirected to a payout, not ${String(res.headers.location)}`);
  return m[1]!;
}

function payout(id: string) {
  return t.owner.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Everything a refused request must leave alone: the payout row, its approvals and its invoices. */
async function payoutState(id: string) {
  return {
    payout: await payout(id),
    approvals: await t.owner
      .selectFrom('payout_approvals')
      .select(['approver_id', 'created_at'])
      .where('payout_id', '=', id)
      .orderBy('approver_id')
      .execute(),
    invoices: await t.owner
      .selectFrom('invoices')
      .select(['id', 'status', 'payout_id', 'paid_at'])
      .where('payout_id', '=', id)
      .orderBy('id')
      .execute(),
  };
}

async function invoiceStates(ids: string[]) {
  return t.owner
    .selectFrom('invoices')
    .select(['id', 'status', 'payout_id', 'paid_at'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
}

async function approvedInvoices(
  orgId: string,
  n: number,
  over: { currency?: string; amountMinor?: number; vendorName?: string; iban?: string } = {},
) {
  const vendor = await buildVendor(t, orgId, { name: over.vendorName, currency: over.currency, iban: over.iban });
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push(
      (
        await buildInvoice(t, orgId, vendor.id, {
          status: 'approved',
          currency: over.currency,
          amountMinor: over.amountMinor,
        })
      ).id,
    );
  return { vendor, ids };
}

async function setBank(orgId: string) {
  await t.owner
    .updateTable('organizations')
    .set({ bank_account_name: 'Payout Team GmbH', bank_iban: 'DE02120300000000202051', bank_bic: 'BYLADEM1001' })
    .where('id', '=', orgId)
    .execute();
}

/** An approved payout of the given invoices, created by the accountant and approved by the approver. */
type Team = BuiltOrg<'approver' | 'accountant'>;

async function approvedPayout(team: Team, ids: string[], currency = 'EUR') {
  const id = payoutIdFrom(await createPayout(team.people.accountant.agent, team.slug, currency, ids));
  assert.equal((await act(team.people.approver.agent, team.slug, id, 'approve')).statusCode, 303);
  assert.equal((await payout(id)).status, 'approved');
  return id;
}

describe('payouts: who may do what', () => {
  it('members and viewers cannot create a payout (403) and nothing is scheduled', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 2);
    for (const who of ['member', 'viewer', 'approver'] as const) {
      assert.equal((await tm.people[who].agent.get(`/o/${tm.slug}/payouts/new`)).statusCode, 403, who);
      assert.equal((await createPayout(tm.people[who].agent, tm.slug, 'EUR', ids)).statusCode, 403, who);
    }
    assert.ok((await invoiceStates(ids)).every((i) => i.status === 'approved' && i.payout_id === null));
  });

  it('members, viewers and accountants cannot approve a payout (403)', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
    for (const who of ['member', 'viewer', 'accountant2'] as const) {
      assert.equal((await act(tm.people[who].agent, tm.slug, id, 'approve')).statusCode, 403, who);
    }
    assert.equal((await payout(id)).status, 'pending');
  });

  it('the creator cannot approve their own payout (403), and the database refuses an inserted approval too', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const id = payoutIdFrom(await createPayout(tm.owner.agent, tm.slug, 'EUR', ids));
    const res = await act(tm.owner.agent, tm.slug, id, 'approve');
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /someone else has to approve it/);
    await assert.rejects(
      t.owner
        .insertInto('payout_approvals')
        .values({ org_id: tm.orgId, payout_id: id, approver_id: tm.owner.id })
        .execute(),
      /nobody approves a payout they created/,
    );
    assert.equal((await payout(id)).status, 'pending');
  });

  it('a member of another org gets 404 for a payout id it guessed', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
    const other = await signUp(t.app, { org: 'Other Org' });
    await other.agent.get(`/o/${other.slug}`);
    assert.equal((await other.agent.get(`/o/${other.slug}/payouts/${id}`)).statusCode, 404);
    assert.equal((await other.agent.get(`/o/${other.slug}/payouts/${id}/payment.csv`)).statusCode, 404);
    assert.equal((await other.agent.post(`/o/${other.slug}/payouts/${id}/cancel`, {})).statusCode, 404);
    assert.equal((await other.agent.get(`/o/${other.slug}/payouts/not-an-id`)).statusCode, 404);
    assert.equal((await payout(id)).status, 'pending');
  });
});

describe('payouts: creating', () => {
  it('creates a pending payout and schedules its invoices, with the total in the audit log', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 3, { amountMinor: 10_050 });
    const page = await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts/new?currency=EUR`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /301\.50/, 'the per-vendor total is shown');
    const res = await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids);
    assert.equal(res.statusCode, 303);
    const id = payoutIdFrom(res);
    const p = await payout(id);
    assert.equal(p.status, 'pending');
    assert.match(p.reference, /^PO-\d{8}-[0-9A-F]{4}$/);
    assert.equal(p.approvals_required, 1);
    assert.ok((await invoiceStates(ids)).every((i) => i.status === 'scheduled' && i.payout_id === id));
    const audit = await t.owner
      .selectFrom('audit_log')
      .select('changes')
      .where('org_id', '=', tm.orgId)
      .where('action', '=', 'payout.created')
      .executeTakeFirstOrThrow();
    assert.deepEqual(audit.changes, {
      reference: p.reference,
      currency: 'EUR',
      invoice_count: 3,
      total_minor: '30150',
      approvals_required: 1,
    });
    const detail = await tm.people.viewer.agent.get(`/o/${tm.slug}/payouts/${id}`);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, new RegExp(p.reference));
    const list = await tm.people.viewer.agent.get(`/o/${tm.slug}/payouts`);
    assert.match(list.body, /€301\.50/);
  });

  it('no invoices, or invoices of two currencies, are refused with 422 and nothing is created', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const eur = await approvedInvoices(tm.orgId, 1);
    const usd = await approvedInvoices(tm.orgId, 1, { currency: 'USD' });
    const none = await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', []);
    assert.equal(none.statusCode, 422);
    assert.match(none.body, /Choose at least one invoice/);
    const mixed = await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', [...eur.ids, ...usd.ids]);
    assert.equal(mixed.statusCode, 422);
    assert.match(mixed.body, /one currency/);
    const count = await t.owner
      .selectFrom('payouts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('org_id', '=', tm.orgId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  it('an invoice that is already in a payout rolls the whole new payout back (409)', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 2);
    const first = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', [ids[0]!]));
    const before = await payoutState(first);
    const res = await createPayout(tm.people.accountant2.agent, tm.slug, 'EUR', ids);
    assert.equal(res.statusCode, 409);
    assert.deepEqual(await payoutState(first), before, 'the existing payout is untouched');
    const payouts = await t.owner.selectFrom('payouts').select('id').where('org_id', '=', tm.orgId).execute();
    assert.deepEqual(
      payouts.map((p) => p.id),
      [first],
      'no second payout was left behind',
    );
    assert.match(res.body, /no longer waiting for a payout/);
    const states = await invoiceStates(ids);
    assert.deepEqual(
      states.map((s) => [s.id, s.status, s.payout_id]).sort(),
      [
        [ids[0], 'scheduled', first],
        [ids[1], 'approved', null],
      ].sort(),
    );
  });

  it('at or above the threshold a payout needs two different approvers; the same person twice is 409', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    // The org's threshold (minor units of its default currency) is exceeded by face value.
    await t.owner
      .updateTable('organizations')
      .set({ approval_threshold_minor: '100000' })
      .where('id', '=', tm.orgId)
      .execute();
    const { ids } = await approvedInvoices(tm.orgId, 2, { amountMinor: 50_000 });
    const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
    assert.equal((await payout(id)).approvals_required, 2);
    assert.equal((await act(tm.people.approver.agent, tm.slug, id, 'approve')).statusCode, 303);
    const before = await payoutState(id);
    assert.equal(before.payout.status, 'pending');
    assert.deepEqual(
      before.approvals.map((a) => a.approver_id),
      [tm.people.approver.id],
    );
    const twice = await act(tm.people.approver.agent, tm.slug, id, 'approve');
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /already approved/);
    assert.deepEqual(await payoutState(id), before, 'the second click changed nothing');
    assert.equal((await act(tm.people.approver2.agent, tm.slug, id, 'approve')).statusCode, 303);
    const p = await payout(id);
    assert.equal(p.status, 'approved');
    assert.ok(p.approved_at);
    const page = await tm.people.viewer.agent.get(`/o/${tm.slug}/payouts/${id}`);
    const approvers = await t.owner
      .selectFrom('users')
      .select('name')
      .where('id', 'in', [tm.people.approver.id, tm.people.approver2.id])
      .execute();
    for (const a of approvers) assert.ok(page.body.includes(a.name), `the page names approver ${a.name}`);
    const audits = await t.owner
      .selectFrom('audit_log')
      .select('actor_user_id')
      .where('org_id', '=', tm.orgId)
      .where('action', '=', 'payout.approved')
      .execute();
    assert.deepEqual(audits.map((a) => a.actor_user_id).sort(), [tm.people.approver.id, tm.people.approver2.id].sort());
  });

  it('below the threshold one approval decides', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    await t.owner
      .updateTable('organizations')
      .set({ approval_threshold_minor: '100000' })
      .where('id', '=', tm.orgId)
      .execute();
    const { ids } = await approvedInvoices(tm.orgId, 1, { amountMinor: 99_999 });
    const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
    assert.equal((await payout(id)).approvals_required, 1);
  });
});

describe('payouts: at the same moment', () => {
  it('two accountants creating payouts from the same invoices: one 303, one 409, each invoice in exactly one payout', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    for (let round = 0; round < 3; round++) {
      const { ids } = await approvedInvoices(tm.orgId, 3);
      await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts`);
      await tm.people.accountant2.agent.get(`/o/${tm.slug}/payouts`);
      const pairs: [string, string][] = [['currency', 'EUR'], ...ids.map((id): [string, string] => ['invoice', id])];
      const results = await Promise.all([
        postPairs(tm.people.accountant.agent, `/o/${tm.slug}/payouts`, pairs),
        postPairs(tm.people.accountant2.agent, `/o/${tm.slug}/payouts`, [...pairs].reverse()),
      ]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [303, 409], `round ${round}`);
      const winner = payoutIdFrom(results.find((r) => r.statusCode === 303)!);
      assert.ok((await invoiceStates(ids)).every((i) => i.status === 'scheduled' && i.payout_id === winner));
    }
    const payouts = await t.owner.selectFrom('payouts').select('id').where('org_id', '=', tm.orgId).execute();
    assert.equal(payouts.length, 3, 'the losers left no payout behind');
  });

  it('two approvers approving a one-approval payout at once: one decides, the other gets 409', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    for (let round = 0; round < 4; round++) {
      const { ids } = await approvedInvoices(tm.orgId, 1);
      const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
      await tm.people.approver.agent.get(`/o/${tm.slug}/payouts/${id}`);
      await tm.people.approver2.agent.get(`/o/${tm.slug}/payouts/${id}`);
      const results = await Promise.all([
        tm.people.approver.agent.post(`/o/${tm.slug}/payouts/${id}/approve`, {}),
        tm.people.approver2.agent.post(`/o/${tm.slug}/payouts/${id}/approve`, {}),
      ]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [303, 409], `round ${round}`);
      const after = await payoutState(id);
      assert.equal(after.payout.status, 'approved');
      assert.equal(after.approvals.length, 1, 'the loser left no approval');
      assert.deepEqual(
        after.invoices.map((i) => [i.id, i.status]),
        ids.map((i) => [i, 'scheduled']),
      );
    }
  });
});

describe('payouts: payment files', () => {
  it('before approval the payment file is refused (409); only finance may download it', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
    const before = await payoutState(id);
    assert.equal((await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts/${id}/payment.csv`)).statusCode, 409);
    assert.equal((await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts/${id}/payment.xml`)).statusCode, 409);
    assert.deepEqual(await payoutState(id), before, 'a refused download is not recorded as an export');
    assert.equal((await act(tm.people.approver.agent, tm.slug, id, 'approve')).statusCode, 303);
    assert.equal((await tm.people.member.agent.get(`/o/${tm.slug}/payouts/${id}/payment.csv`)).statusCode, 403);
    assert.equal((await tm.people.approver.agent.get(`/o/${tm.slug}/payouts/${id}/payment.csv`)).statusCode, 403);
  });

  it('the CSV has one row per vendor with the full account, and neutralizes formulas', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const a = await approvedInvoices(tm.orgId, 2, { vendorName: '=HYPERLINK("http://evil.test")', amountMinor: 1_005 });
    const b = await approvedInvoices(tm.orgId, 1, {
      vendorName: 'Plain Supplies',
      amountMinor: 70_000,
      iban: 'FR1420041010050500013M02606',
    });
    const id = await approvedPayout(tm, [...a.ids, ...b.ids]);
    const res = await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts/${id}/payment.csv`);
    assert.equal(res.statusCode, 200);
    const p = await payout(id);
    assert.match(
      String(res.headers['content-disposition']),
      new RegExp(`^attachment; filename=".*${p.reference}.*\\.csv"$`),
    );
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    const lines = res.body.trim().split('\n');
    assert.equal(lines.length, 3, 'a header and one row per vendor');
    assert.ok(
      lines.some((l) => l.startsWith(`${p.reference},"'=HYPERLINK(""http://evil.test"")"`)),
      'the formula is neutralized',
    );
    assert.ok(!lines.some((l) => /,=/.test(l)));
    assert.ok(res.body.includes('FR1420041010050500013M02606'), 'the bank file has the full IBAN');
    assert.ok(res.body.includes(',EUR,20.10,'), 'two invoices of 10.05');
    assert.ok(res.body.includes(',EUR,700.00,'));
    assert.ok((await payout(id)).exported_at);
    const audit = await t.owner
      .selectFrom('audit_log')
      .select('changes')
      .where('org_id', '=', tm.orgId)
      .where('action', '=', 'payout.exported')
      .executeTakeFirstOrThrow();
    assert.equal((audit.changes as { format: string }).format, 'csv');
  });

  it('SEPA XML: sums, IBANs, EUR amounts with two decimals, MsgId = reference, names transliterated', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    await setBank(tm.orgId);
    const a = await approvedInvoices(tm.orgId, 2, { vendorName: 'Müller & Söhne GmbH', amountMinor: 12_345 });
    const b = await approvedInvoices(tm.orgId, 1, {
      vendorName: 'Łódź Dostawy',
      amountMinor: 5,
      iban: 'FR1420041010050500013M02606',
    });
    const id = await approvedPayout(tm, [...a.ids, ...b.ids]);
    const res = await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts/${id}/payment.xml`);
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="payout-PO-.*\.xml"$/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    const p = await payout(id);
    type Node = Record<string, unknown>;
    const doc = convert(res.body, { format: 'object' }) as Node;
    const root = doc.Document as Node;
    assert.equal(root['@xmlns'], 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03');
    const init = root.CstmrCdtTrfInitn as Node;
    const hdr = init.GrpHdr as Node;
    const inf = init.PmtInf as Node;
    assert.equal(hdr.MsgId, p.reference);
    assert.equal(hdr.NbOfTxs, '2');
    assert.equal(hdr.CtrlSum, '246.95');
    assert.equal(inf.NbOfTxs, '2');
    assert.equal(inf.CtrlSum, '246.95');
    assert.equal(inf.PmtMtd, 'TRF');
    assert.equal(inf.ChrgBr, 'SLEV');
    assert.equal(((inf.DbtrAcct as Node).Id as Node).IBAN, 'DE02120300000000202051');
    const txs = inf.CdtTrfTxInf as Node[];
    assert.equal(txs.length, 2);
    const amounts = txs.map((x) => ((x.Amt as Node).InstdAmt as Node)['#'] as string);
    for (const amt of amounts) assert.match(amt, /^\d+\.\d{2}$/);
    assert.equal(txs.map((x) => ((x.Amt as Node).InstdAmt as Node)['@Ccy']).join(), 'EUR,EUR');
    const cents = amounts.reduce((s, a) => s + BigInt(a.replace('.', '')), 0n);
    assert.equal(cents, 24_695n, 'CtrlSum is the sum of the amounts');
    const byName = Object.fromEntries(txs.map((x) => [(x.Cdtr as Node).Nm as string, x]));
    assert.deepEqual(Object.keys(byName).sort(), ['Lodz Dostawy', 'Muller + Sohne GmbH']);
    assert.equal(((byName['Muller + Sohne GmbH']!.CdtrAcct as Node).Id as Node).IBAN, 'DE89370400440532013000');
    assert.equal(((byName['Lodz Dostawy']!.CdtrAcct as Node).Id as Node).IBAN, 'FR1420041010050500013M02606');
    assert.equal(((byName['Lodz Dostawy']!.Amt as Node).InstdAmt as Node)['#'], '0.05');
    assert.match((byName['Muller + Sohne GmbH']!.RmtInf as Node).Ustrd as string, /^Invoices INV-/);
  });

  it('SEPA for a USD payout is refused (409): download the CSV', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    await setBank(tm.orgId);
    const { ids } = await approvedInvoices(tm.orgId, 1, { currency: 'USD' });
    const id = await approvedPayout(tm, ids, 'USD');
    const before = await payoutState(id);
    const res = await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts/${id}/payment.xml`);
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /SEPA files are for euro payouts; download the CSV/);
    assert.deepEqual(await payoutState(id), before, 'a refused download changes nothing');
    assert.equal((await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts/${id}/payment.csv`)).statusCode, 200);
  });

  it('SEPA without the org’s paying account is refused (409) with a link to set it; vendors without IBAN are named', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const noIban = await buildVendor(t, tm.orgId, { name: 'Account Only Ltd' });
    await t.owner
      .updateTable('vendors')
      .set({ iban: null, account_number: '12345678' })
      .where('id', '=', noIban.id)
      .execute();
    const inv = await buildInvoice(t, tm.orgId, noIban.id, { status: 'approved' });
    const id = await approvedPayout(tm, [...ids, inv.id]);
    const before = await payoutState(id);
    const res = await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts/${id}/payment.xml`);
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /paying bank account is not set/);
    assert.ok(res.body.includes(`/o/${tm.slug}/payouts#paying-account`));
    await setBank(tm.orgId);
    const res2 = await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts/${id}/payment.xml`);
    assert.equal(res2.statusCode, 409);
    assert.match(res2.body, /Account Only Ltd/);
    assert.equal(before.payout.exported_at, null);
    assert.deepEqual(await payoutState(id), before, 'a refused download changes nothing');
  });
});

describe('payouts: paying and cancelling', () => {
  it('mark paid needs a bank reference (422), then moves the payout and its invoices to paid', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 2);
    const id = await approvedPayout(tm, ids);
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'paid', { bank_reference: '   ' })).statusCode,
      422,
    );
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'paid', { bank_reference: 'x'.repeat(101) })).statusCode,
      422,
    );
    assert.equal((await act(tm.people.member.agent, tm.slug, id, 'paid', { bank_reference: 'OK' })).statusCode, 403);
    assert.equal((await payout(id)).status, 'approved');
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'paid', { bank_reference: 'SEPA-2026-11-23-001' }))
        .statusCode,
      303,
    );
    const p = await payout(id);
    assert.equal(p.status, 'paid');
    assert.equal(p.bank_reference, 'SEPA-2026-11-23-001');
    assert.equal(p.paid_by, tm.people.accountant.id);
    assert.ok((await invoiceStates(ids)).every((i) => i.status === 'paid' && i.paid_at));
    const paid = await payoutState(id);
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'paid', { bank_reference: 'again' })).statusCode,
      409,
    );
    assert.deepEqual(await payoutState(id), paid, 'paying twice keeps the first bank reference');
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'cancel')).statusCode,
      409,
      'a paid payout cannot be cancelled',
    );
    assert.deepEqual(await payoutState(id), paid, 'a refused cancel returns no invoice');
    const history = await t.owner
      .selectFrom('payout_status_history')
      .select(['from_status', 'to_status'])
      .where('payout_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      history.map((h) => `${h.from_status}→${h.to_status}`),
      ['null→pending', 'pending→approved', 'approved→paid'],
    );
  });

  it('a pending payout cannot be marked paid (409)', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
    const before = await payoutState(id);
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'paid', { bank_reference: 'REF' })).statusCode,
      409,
    );
    assert.deepEqual(await payoutState(id), before);
    assert.equal(before.payout.status, 'pending');
    assert.deepEqual(before.approvals, []);
    assert.ok(before.invoices.length === 1 && before.invoices[0]!.status === 'scheduled');
  });

  it('cancel returns the invoices to approved, and they can go into a new payout', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 2);
    const id = await approvedPayout(tm, ids);
    assert.equal((await act(tm.people.member.agent, tm.slug, id, 'cancel')).statusCode, 403);
    assert.equal((await act(tm.people.accountant.agent, tm.slug, id, 'cancel')).statusCode, 303);
    const p = await payout(id);
    assert.equal(p.status, 'cancelled');
    assert.equal(p.cancelled_by, tm.people.accountant.id);
    assert.ok((await invoiceStates(ids)).every((i) => i.status === 'approved' && i.payout_id === null));
    const notes = await t.owner
      .selectFrom('invoice_status_history')
      .select('note')
      .where('invoice_id', '=', ids[0]!)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(notes.note, `Payout ${p.reference} was cancelled`);
    const again = await createPayout(tm.people.accountant2.agent, tm.slug, 'EUR', ids);
    assert.equal(again.statusCode, 303);
    assert.ok((await invoiceStates(ids)).every((i) => i.status === 'scheduled' && i.payout_id === payoutIdFrom(again)));
  });
});

describe('payouts: the paying account', () => {
  it('owners and admins set it (IBAN checked with mod-97), it is shown masked and audited masked; others get 403', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts`);
    const denied = await tm.people.accountant.agent.post(`/o/${tm.slug}/payouts/bank-account`, {
      bank_account_name: 'X',
      bank_iban: 'DE89370400440532013000',
      bank_bic: '',
    });
    assert.equal(denied.statusCode, 403);
    await tm.people.admin.agent.get(`/o/${tm.slug}/payouts`);
    const bad = await tm.people.admin.agent.post(`/o/${tm.slug}/payouts/bank-account`, {
      bank_account_name: 'Payout Team',
      bank_iban: 'DE89370400440532013001',
      bank_bic: '',
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /valid IBAN/);
    const ok = await tm.people.admin.agent.post(`/o/${tm.slug}/payouts/bank-account`, {
      bank_account_name: 'Payout Team',
      bank_iban: 'de89 3704 0044 0532 0130 00',
      bank_bic: 'cobadeffxxx',
    });
    assert.equal(ok.statusCode, 303);
    const org = await t.owner
      .selectFrom('organizations')
      .select(['bank_iban', 'bank_bic'])
      .where('id', '=', tm.orgId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(org, { bank_iban: 'DE89370400440532013000', bank_bic: 'COBADEFFXXX' });
    const page = await tm.people.admin.agent.get(`/o/${tm.slug}/payouts`);
    assert.ok(!page.body.includes('DE89370400440532013000'), 'the page shows the IBAN masked');
    assert.match(page.body, /DE89 •••• •••• •••• 3000/);
    const audit = await t.owner
      .selectFrom('audit_log')
      .select('changes')
      .where('org_id', '=', tm.orgId)
      .where('action', '=', 'org.bank_account_changed')
      .executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(audit.changes).includes('0532013000'), 'the audit log has no full IBAN');
  });
});

describe('payouts: bad input', () => {
  it('a NUL character in the bank-account form is refused (400) and nothing is saved or audited', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    await tm.owner.agent.get(`/o/${tm.slug}/payouts`);
    const res = await tm.owner.agent.post(`/o/${tm.slug}/payouts/bank-account`, {
      bank_account_name: 'Payout\u0000Team',
      bank_iban: 'DE89370400440532013000',
      bank_bic: '',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /NUL character/);
    const org = await t.owner
      .selectFrom('organizations')
      .select(['bank_account_name', 'bank_iban'])
      .where('id', '=', tm.orgId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(org, { bank_account_name: null, bank_iban: null });
    const audit = await t.owner
      .selectFrom('audit_log')
      .select('id')
      .where('org_id', '=', tm.orgId)
      .where('action', '=', 'org.bank_account_changed')
      .execute();
    assert.deepEqual(audit, []);
  });

  it('a forged currency on the new-payout page answers 400 naming it, never 500; an empty one is no choice', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const agent = tm.people.accountant.agent;
    for (const q of ['currency=euro', 'currency=E1', 'currency=%00', 'currency=EUR&currency=USD']) {
      const res = await agent.get(`/o/${tm.slug}/payouts/new?${q}`);
      assert.equal(res.statusCode, 400, q);
      if (!q.includes('%00')) assert.match(res.body, /currency/, q);
    }
    assert.equal((await agent.get(`/o/${tm.slug}/payouts/new?currency=`)).statusCode, 200);
    assert.equal((await agent.get(`/o/${tm.slug}/payouts/new?currency=usd`)).statusCode, 200);
  });

  it('a payout id that is not an id is a page that does not exist (404) on every payout route', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const agent = tm.owner.agent;
    await agent.get(`/o/${tm.slug}/payouts`);
    for (const suffix of ['', '/payment.csv', '/payment.xml'])
      assert.equal((await agent.get(`/o/${tm.slug}/payouts/not-an-id${suffix}`)).statusCode, 404, suffix);
    for (const action of ['approve', 'cancel', 'paid'])
      assert.equal(
        (await agent.post(`/o/${tm.slug}/payouts/not-an-id/${action}`, { bank_reference: 'X' })).statusCode,
        404,
        action,
      );
  });
});
