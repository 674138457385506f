import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildOrg } from '../../testing/factories.ts';
import { HEADER, importRow, postMultipart, useImportTeam } from './test-helpers.ts';

const { t, setUp, team, checked } = useImportTeam();

describe('CSV imports: who may import, and ids that are not theirs', () => {
  before(setUp);

  it('a viewer or a member gets 403 on the import pages and the upload, and sees no Import in the navigation', async () => {
    const { o } = team;
    for (const role of ['viewer', 'member', 'approver'] as const) {
      const p = o.people[role];
      const home = await p.agent.get(`/o/${o.slug}`);
      assert.ok(!home.body.includes(`href="/o/${o.slug}/imports"`), `${role} sees no Import entry`);
      assert.equal((await p.agent.get(`/o/${o.slug}/imports`)).statusCode, 403);
      const res = await postMultipart(
        p.agent,
        `/o/${o.slug}/imports`,
        { kind: 'invoices', encoding: 'auto', delimiter: 'auto' },
        { name: 'x.csv', content: Buffer.from(`${HEADER}\n`) },
      );
      assert.equal(res.statusCode, 403, role);
    }
    const accountant = o.people.accountant;
    const home = await accountant.agent.get(`/o/${o.slug}`);
    assert.ok(home.body.includes(`href="/o/${o.slug}/imports"`), 'an accountant sees Import');
    assert.equal((await t.owner.selectFrom('imports').select('id').where('org_id', '=', o.orgId).execute()).length, 0);
  });

  it('a member of another org gets 404 for an import id it guessed', async () => {
    const { taxId } = team;
    const { id } = await checked(`${HEADER}\n${taxId},GUESS-1,2026-11-01,2026-12-01,10.00,EUR,software,\n`);
    const other = await buildOrg(t, { name: 'Other Org' });
    for (const suffix of ['', '/progress', '/rejections.csv'])
      assert.equal((await other.owner.agent.get(`/o/${other.slug}/imports/${id}${suffix}`)).statusCode, 404);
    await other.owner.agent.get(`/o/${other.slug}/imports`);
    assert.equal(
      (await other.owner.agent.post(`/o/${other.slug}/imports/${id}/apply`, { mode: 'valid_rows' })).statusCode,
      404,
    );
  });

  it('an import id that is not an id is a page that does not exist (404), for the pages and the actions', async () => {
    const { o } = team;
    for (const suffix of ['', '/progress', '/rejections.csv'])
      assert.equal((await o.owner.agent.get(`/o/${o.slug}/imports/not-an-id${suffix}`)).statusCode, 404, suffix);
    await o.owner.agent.get(`/o/${o.slug}/imports`);
    for (const action of ['apply', 'retry'])
      assert.equal(
        (await o.owner.agent.post(`/o/${o.slug}/imports/not-an-id/${action}`, { mode: 'valid_rows' })).statusCode,
        404,
      );
  });

  it('applying without a choice of mode says so on the import page and starts nothing', async () => {
    const { o, taxId } = team;
    const { id } = await checked(`${HEADER}\n${taxId},NOMODE-1,2026-01-01,2026-02-01,10.00,EUR,other,\n`);
    await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
    const res = await o.owner.agent.post(`/o/${o.slug}/imports/${id}/apply`, { mode: 'everything' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/o/${o.slug}/imports/${id}`);
    assert.match((await o.owner.agent.get(`/o/${o.slug}/imports/${id}`)).body, /Choose how to import/);
    assert.equal((await importRow(t, o.orgId, id)).status, 'checked');
  });
});
