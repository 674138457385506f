import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convert } from 'xmlbuilder2';
import { useTestApp } from '../../testing/harness.ts';
import { buildInvoice, buildOrg, buildVendor, orgAudit } from '../../testing/factories.ts';
import { assertValidPain001 } from './pain001-schema.ts';
import {
  PAYOUT_TEAM,
  act,
  createPayout,
  downloadPaymentFile,
  payoutIdFrom,
  payoutHelpers,
  type Team,
} from './test-helpers.ts';

const t = useTestApp();

const { payout, payoutState, approvedInvoices, approvedPayout, setBank } = payoutHelpers(t);

type Node = Record<string, unknown>;

/** The largest invoice amount the database takes (migration 0003: amount_minor < 10^15). */
const MAX_INVOICE_MINOR = 999_999_999_999_999;

/** Approved whatever its total: a second approver when the org's threshold asks for two. */
async function approvedAnyTotal(tm: Team & { people: { approver2: Team['people']['approver'] } }, ids: string[]) {
  const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
  assert.equal((await act(tm.people.approver.agent, tm.slug, id, 'approve')).statusCode, 303);
  if ((await payout(id)).status === 'pending')
    assert.equal((await act(tm.people.approver2.agent, tm.slug, id, 'approve')).statusCode, 303);
  assert.equal((await payout(id)).status, 'approved');
  return id;
}

function transfersOf(xml: string): Node[] {
  const init = ((convert(xml, { format: 'object' }) as Node).Document as Node).CstmrCdtTrfInitn as Node;
  const txs = (init.PmtInf as Node).CdtTrfTxInf as Node | Node[];
  return Array.isArray(txs) ? txs : [txs];
}

describe('payouts: payment files', () => {
  it('a link to the payment file (a GET) shows what downloading it does and marks nothing; the download is a post behind CSRF', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1, { vendorName: 'Link Safe Ltd', amountMinor: 5_000 });
    const id = await approvedPayout(tm, ids);
    const url = `/o/${tm.slug}/payouts/${id}/payment.csv`;
    const page = await tm.people.accountant.agent.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /Downloading it marks the payout as exported/);
    assert.match(page.body, new RegExp(`<form method="post" action="${url.replace(/\./g, '\\.')}"`));
    const forged = await tm.people.accountant.agent.post(url, {}, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.equal((await payout(id)).exported_at, null, 'nothing marked');
    assert.deepEqual(await orgAudit(t, tm.orgId, 'payout.exported'), []);
    const file = await downloadPaymentFile(tm.people.accountant.agent, url);
    assert.equal(file.statusCode, 200);
    assert.match(String(file.headers['content-type']), /^text\/csv/);
    assert.ok((await payout(id)).exported_at, 'marked exported');
    assert.equal((await orgAudit(t, tm.orgId, 'payout.exported')).length, 1);
  });

  it('before approval the payment file is refused (409); only finance may download it', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
    const before = await payoutState(id);
    assert.equal(
      (await downloadPaymentFile(tm.people.accountant.agent, `/o/${tm.slug}/payouts/${id}/payment.csv`)).statusCode,
      409,
    );
    assert.equal(
      (await downloadPaymentFile(tm.people.accountant.agent, `/o/${tm.slug}/payouts/${id}/payment.xml`)).statusCode,
      409,
    );
    assert.deepEqual(await payoutState(id), before, 'a refused download is not recorded as an export');
    assert.equal((await act(tm.people.approver.agent, tm.slug, id, 'approve')).statusCode, 303);
    assert.equal(
      (await downloadPaymentFile(tm.people.member.agent, `/o/${tm.slug}/payouts/${id}/payment.csv`)).statusCode,
      403,
    );
    assert.equal(
      (await downloadPaymentFile(tm.people.approver.agent, `/o/${tm.slug}/payouts/${id}/payment.csv`)).statusCode,
      403,
    );
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
    const res = await downloadPaymentFile(tm.people.accountant.agent, `/o/${tm.slug}/payouts/${id}/payment.csv`);
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
    const [audit] = await orgAudit(t, tm.orgId, 'payout.exported');
    assert.equal((audit!.changes as { format: string }).format, 'csv');
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
    const res = await downloadPaymentFile(tm.people.accountant.agent, `/o/${tm.slug}/payouts/${id}/payment.xml`);
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    await assertValidPain001(res.body);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="payout-PO-.*\.xml"$/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    const p = await payout(id);
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
    const res = await downloadPaymentFile(tm.people.accountant.agent, `/o/${tm.slug}/payouts/${id}/payment.xml`);
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /SEPA files are for euro payouts; download the CSV/);
    assert.deepEqual(await payoutState(id), before, 'a refused download changes nothing');
    assert.equal(
      (await downloadPaymentFile(tm.people.accountant.agent, `/o/${tm.slug}/payouts/${id}/payment.csv`)).statusCode,
      200,
    );
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
    const res = await downloadPaymentFile(tm.people.accountant.agent, `/o/${tm.slug}/payouts/${id}/payment.xml`);
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /paying bank account is not set/);
    assert.ok(res.body.includes(`/o/${tm.slug}/payouts#paying-account`));
    await setBank(tm.orgId);
    const res2 = await downloadPaymentFile(tm.people.accountant.agent, `/o/${tm.slug}/payouts/${id}/payment.xml`);
    assert.equal(res2.statusCode, 409);
    assert.match(res2.body, /Account Only Ltd/);
    assert.equal(before.payout.exported_at, null);
    assert.deepEqual(await payoutState(id), before, 'a refused download changes nothing');
  });

  it('SEPA XML validates against the pain.001.001.03 schema for the largest invoices, long and non-ASCII names', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    await setBank(tm.orgId);
    const big = await approvedInvoices(tm.orgId, 2, {
      vendorName: 'Café Zürich Straße AG',
      amountMinor: MAX_INVOICE_MINOR,
    });
    const long = await approvedInvoices(tm.orgId, 3, {
      vendorName: `Überlange Lieferanten- und Dienstleistungsgesellschaft ${'Ä'.repeat(140)}`,
      amountMinor: 1,
      iban: 'FR1420041010050500013M02606',
    });
    const mixed = await approvedInvoices(tm.orgId, 1, {
      vendorName: '北京贸易 Beijing Trading',
      amountMinor: 4_200,
      iban: 'GB29NWBK60161331926819',
    });
    const id = await approvedAnyTotal(tm, [...big.ids, ...long.ids, ...mixed.ids]);
    const res = await downloadPaymentFile(tm.people.accountant.agent, `/o/${tm.slug}/payouts/${id}/payment.xml`);
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    await assertValidPain001(res.body);
    assert.match(res.body, /<CtrlSum>20000000000042\.01<\/CtrlSum>/, 'two of the largest invoices, 42.00 and 0.03');
    const names = transfersOf(res.body).map((x) => (x.Cdtr as Node).Nm as string);
    assert.ok(names.includes('Cafe Zurich Strasse AG'));
    assert.ok(names.includes('Beijing Trading'));
    const cut = names.find((n) => n.startsWith('Uberlange'));
    assert.equal(cut?.length, 70, 'a long name is cut at the 70 characters SEPA allows');
  });

  it('SEPA XML for a paying account or vendor whose name has no Latin letter is refused (409) with the name, and changes nothing', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    await setBank(tm.orgId);
    const { ids } = await approvedInvoices(tm.orgId, 1, { vendorName: '株式会社東京' });
    const id = await approvedPayout(tm, ids);
    const before = await payoutState(id);
    const url = `/o/${tm.slug}/payouts/${id}/payment.xml`;
    await t.owner.updateTable('organizations').set({ bank_account_name: 'Ωμέγα' }).where('id', '=', tm.orgId).execute();
    const payer = await downloadPaymentFile(tm.people.accountant.agent, url);
    assert.equal(payer.statusCode, 409);
    assert.match(payer.body, /The paying account’s name “Ωμέγα” has no letters a SEPA file can carry/);
    await setBank(tm.orgId);
    const res = await downloadPaymentFile(tm.people.accountant.agent, url);
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /Latin alphabet/);
    assert.ok(res.body.includes('株式会社東京'));
    assert.deepEqual(await payoutState(id), before);
    assert.deepEqual(await orgAudit(t, tm.orgId, 'payout.exported'), []);
  });
});
