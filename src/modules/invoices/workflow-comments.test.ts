import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildInvoice } from '../../testing/factories.ts';
import { team, url } from './workflow-test-helpers.ts';

const t = useTestApp();

describe('comments', () => {
  it('a comment is 1–4,000 characters, audited, and shown in the timeline; a viewer cannot comment', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.member.id });
    assert.equal((await people.viewer.agent.post(url(slug, inv.id, 'comments'), { body: 'Hello' })).statusCode, 403);
    const empty = await people.member.agent.post(url(slug, inv.id, 'comments'), { body: ' ' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Write a comment first/);
    assert.equal(
      (await people.member.agent.post(url(slug, inv.id, 'comments'), { body: 'y'.repeat(4001) })).statusCode,
      422,
    );
    const res = await people.member.agent.post(url(slug, inv.id, 'comments'), {
      body: 'The PO number is <b>PO-42</b>',
    });
    assert.equal(res.statusCode, 303);
    const page = await people.viewer.agent.get(url(slug, inv.id));
    assert.match(page.body, /The PO number is &lt;b>PO-42&lt;\/b>/);
    assert.ok(!page.body.includes(`action="${url(slug, inv.id, 'comments')}"`), 'no comment form for a viewer');
    const audit = await t.owner.selectFrom('audit_log').select('action').where('target_id', '=', inv.id).execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['invoice.commented'],
    );
  });
});
