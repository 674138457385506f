import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readAuditChanges } from '../../core/audit/audit.ts';
import { useTestApp } from '../../testing/harness.ts';
import { buildOrg } from '../../testing/factories.ts';

const t = useTestApp();

describe('audit changes read back', () => {
  it('an object reads as itself; any other stored value reads as { unreadable: value }, nothing hidden', () => {
    assert.deepEqual(readAuditChanges({ role: { from: 'viewer', to: 'member' } }), {
      role: { from: 'viewer', to: 'member' },
    });
    for (const stored of ['text', 42, null, [1, 2]]) assert.deepEqual(readAuditChanges(stored), { unreadable: stored });
  });

  it('an entry whose changes are not an object shows on the activity page and the dashboard instead of breaking them', async () => {
    const { slug, orgId, owner } = await buildOrg(t, { name: 'Audit Org' });
    await t.owner
      .insertInto('audit_log')
      .values({ org_id: orgId, action: 'legacy.entry', changes: '"written by hand"' })
      .execute();
    const activity = await owner.agent.get(`/o/${slug}/activity`);
    assert.equal(activity.statusCode, 200);
    assert.match(activity.body, /unreadable/);
    assert.match(activity.body, /written by hand/);
    assert.equal((await owner.agent.get(`/o/${slug}`)).statusCode, 200);
  });
});
