import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildOrg, orgAudit } from '../../testing/factories.ts';
import { assertValidPain001 } from './pain001-schema.ts';
import { PAYOUT_TEAM, act, downloadPaymentFile, payoutHelpers } from './test-helpers.ts';

const t = useTestApp();

const { payout, payoutState, approvedInvoices, approvedPayout, setBank } = payoutHelpers(t);

describe('payouts: the payment file of a paid payout', () => {
  it('a paid payout’s file is only a marked copy: the page says so, the post is behind CSRF, the copy is audited and changes nothing', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    await setBank(tm.orgId);
    const { ids } = await approvedInvoices(tm.orgId, 2, { vendorName: 'Paid Once GmbH', amountMinor: 7_500 });
    const id = await approvedPayout(tm, ids);
    const xmlUrl = `/o/${tm.slug}/payouts/${id}/payment.xml`;
    const original = await downloadPaymentFile(tm.people.accountant.agent, xmlUrl);
    assert.equal(original.statusCode, 200);
    assert.doesNotMatch(original.body, /COPY/);
    assert.equal(
      (await act(tm.people.accountant.agent, tm.slug, id, 'paid', { bank_reference: 'BANK-4711' })).statusCode,
      303,
    );
    const paid = await payoutState(id);
    assert.equal(paid.payout.status, 'paid');

    const detail = await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts/${id}`);
    assert.ok(detail.body.includes(`href="${xmlUrl}"`), 'the payout page leads to the page before the copy');
    assert.ok(!detail.body.includes(`action="${xmlUrl}"`), 'and does not post a download directly');
    const page = await tm.people.accountant.agent.get(xmlUrl);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /already paid: the download is a copy/);
    assert.match(page.body, /bank reference BANK-4711/);
    assert.match(page.body, /Do not send it to the bank/);
    assert.match(page.body, /Download a marked copy/);

    const forged = await tm.people.accountant.agent.post(xmlUrl, {}, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.deepEqual(await orgAudit(t, tm.orgId, 'payout.payment_file_copied'), []);

    const copy = await downloadPaymentFile(tm.people.accountant.agent, xmlUrl);
    assert.equal(copy.statusCode, 200);
    const p = await payout(id);
    assert.equal(String(copy.headers['content-disposition']), `attachment; filename="payout-${p.reference}-COPY.xml"`);
    assert.match(
      copy.body,
      new RegExp(
        `^<\\?xml[^>]*\\?>\\s*<!-- COPY of the payment file of payout ${p.reference}, already paid on \\d{4}-\\d{2}-\\d{2} \\(bank reference BANK-4711\\)`,
      ),
    );
    await assertValidPain001(copy.body);
    assert.ok(
      copy.body.includes(`<MsgId>${p.reference}</MsgId>`),
      'the original MsgId: a bank refuses it as a duplicate',
    );
    assert.deepEqual(await payoutState(id), paid, 'a copy changes nothing: not even exported_at');
    const copies = await orgAudit(t, tm.orgId, 'payout.payment_file_copied');
    assert.equal(copies.length, 1);
    assert.equal(copies[0]!.actor_user_id, tm.people.accountant.id);
    assert.ok(copies[0]!.created_at);
    assert.deepEqual(copies[0]!.changes, {
      reference: p.reference,
      format: 'xml',
      vendors: 1,
      filename: `payout-${p.reference}-COPY.xml`,
    });
    assert.equal((await orgAudit(t, tm.orgId, 'payout.exported')).length, 1, 'only the original was an export');

    const csvUrl = `/o/${tm.slug}/payouts/${id}/payment.csv`;
    const csv = await downloadPaymentFile(tm.people.accountant.agent, csvUrl);
    assert.equal(csv.statusCode, 200);
    assert.equal(String(csv.headers['content-disposition']), `attachment; filename="payout-${p.reference}-COPY.csv"`);
    const [header, row] = csv.body.trim().split('\n');
    assert.match(header!, /,copy$/);
    assert.match(row!, /,"COPY of the payment file of payout .*do not send it to the bank\."$/);
    assert.equal((await orgAudit(t, tm.orgId, 'payout.payment_file_copied')).length, 2);
    assert.equal(
      (await downloadPaymentFile(tm.people.member.agent, csvUrl)).statusCode,
      403,
      'a copy needs the same right as the file',
    );
  });
});
