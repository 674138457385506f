import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildInvoice, buildVendor } from '../../testing/factories.ts';
import { numbers, queueOrg } from './queue-test-helpers.ts';

const t = useTestApp();

describe('approval queue: pages, and filters it cannot read', () => {
  it('keyset pagination walks every invoice once, in order, with ties on the sort value', async () => {
    const { owner, orgId, memberId } = await queueOrg(t);
    const v = await buildVendor(t, orgId);
    for (let i = 0; i < 120; i++) {
      await buildInvoice(t, orgId, v.id, {
        number: `P-${String(i).padStart(3, '0')}`,
        amountMinor: 1000 + (i % 7) * 100,
        status: 'submitted',
        submittedBy: memberId,
      });
    }
    for (const sort of ['-amount', 'due', 'created']) {
      const seen: string[] = [];
      let url: string | null = `/o/${owner.slug}/invoices?sort=${sort}`;
      let pages = 0;
      while (url) {
        const res = await owner.agent.get(url);
        seen.push(...numbers(res.body));
        const next = /href="([^"]+after=[^"]+)">Next/.exec(res.body)?.[1];
        url = next ? next.replace(/&amp;/g, '&') : null;
        pages += 1;
      }
      assert.equal(pages, 3, sort);
      assert.equal(seen.length, 120, sort);
      assert.equal(new Set(seen).size, 120, `${sort}: no invoice twice`);
    }
  });

  it('a filter it cannot read is refused with 400 naming it, never a 500', async () => {
    const { owner } = await queueOrg(t);
    const bad = await owner.agent.get(`/o/${owner.slug}/invoices?min=lots&due_from=2026-02-31&status=bogus`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /min: Enter an amount like 1000/);
    assert.match(bad.body, /due_from: That date does not exist/);
    assert.match(bad.body, /status: /);
    // PostgreSQL has no year 0: refused here rather than by the database.
    const yearZero = await owner.agent.get(`/o/${owner.slug}/invoices?due_to=0000-01-01`);
    assert.equal(yearZero.statusCode, 400);
    assert.match(yearZero.body, /due_to: That date does not exist/);
    const vendor = await owner.agent.get(`/o/${owner.slug}/invoices?vendor=not-an-id`);
    assert.equal(vendor.statusCode, 400);
    assert.match(vendor.body, /vendor: /);
  });

  it('a NUL character in the text search is refused with 400', async () => {
    const { owner } = await queueOrg(t);
    const res = await owner.agent.get(`/o/${owner.slug}/invoices?q=abc%00def`);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /NUL character/);
  });

  it('a forged page cursor is refused with 400 and a clear message, never a 500 from PostgreSQL', async () => {
    const { owner, orgId, memberId } = await queueOrg(t);
    const v = await buildVendor(t, orgId);
    await buildInvoice(t, orgId, v.id, { number: 'ONLY', status: 'submitted', submittedBy: memberId });
    // The queue's cursor is base64url(JSON [sort value, invoice id]).
    const cursor = (value: unknown, id: unknown = '00000000-0000-4000-8000-000000000000') =>
      Buffer.from(JSON.stringify([value, id])).toString('base64url');
    const forged: [string, string][] = [
      ['due', cursor('2026-02-30')],
      ['-due', cursor('0000-01-01')],
      ['created', cursor('2026-01-05 10:11:12.123456+99:99')],
      ['-created', cursor('2026-01-05 25:00:00+00')],
      ['created', cursor('2026-02-30 10:11:12+00')],
      ['amount', cursor("1'; drop table invoices; --")],
      ['amount', cursor('100', 'not-an-id')],
      ['due', cursor('100')],
      ['due', 'garbage!'],
      ['due', Buffer.from('{"a":1}').toString('base64url')],
    ];
    for (const [sort, after] of forged) {
      const res = await owner.agent.get(`/o/${owner.slug}/invoices?sort=${sort}&after=${after}`);
      assert.equal(res.statusCode, 400, `${sort} ${Buffer.from(after, 'base64url').toString()}`);
      assert.match(res.body, /after: this page link was changed or belongs to another sort order/);
    }
    // Real cursors of each kind still work.
    for (const [sort, after] of [
      ['due', cursor('2026-02-28')],
      ['created', cursor('2026-01-05 10:11:12.123456+00')],
      ['-created', cursor('2026-01-05 10:11:12+05:30')],
      ['-amount', cursor('999999999999999999')],
    ]) {
      const res = await owner.agent.get(`/o/${owner.slug}/invoices?sort=${sort}&after=${after}`);
      assert.equal(res.statusCode, 200, `${sort} ${after}`);
    }
  });
});
