import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildOrg } from '../../testing/factories.ts';

const t = useTestApp();

describe('a stored report read back', () => {
  it('a report stored in a shape this version cannot read asks for a rebuild (409), for the page and its CSV, never 500', async () => {
    const { slug, orgId, owner } = await buildOrg(t, { name: 'Report Org' });
    await t.owner
      .insertInto('monthly_reports')
      .values({ org_id: orgId, month: '2026-10-01', data: JSON.stringify({ byCurrency: 'not a list' }) })
      .execute();
    for (const path of [`/o/${slug}/reports/2026-10`, `/o/${slug}/reports/2026-10/csv`]) {
      const res = await owner.agent.get(path);
      assert.equal(res.statusCode, 409, path);
      assert.match(res.body, /stored in a form this version cannot read\. Rebuild the month/, path);
    }
  });
});
