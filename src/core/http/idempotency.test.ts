import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signUp, useTestApp } from '../../testing/harness.ts';

const t = useTestApp();

async function orgCount(name: string): Promise<number> {
  const r = await t.owner
    .selectFrom('organizations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The organizations this person belongs to, with their role in each. */
async function orgsOf(email: string) {
  return t.owner
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.org_id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['o.slug', 'o.name', 'm.role'])
    .where('u.email', '=', email)
    .execute();
}

describe('double submission', () => {
  it('the same form posted twice creates one record, and the repeat lands where the first went', async () => {
    const a = await signUp(t.app);
    const before = await orgsOf(a.email);
    await a.agent.get('/orgs/new');
    const key = a.agent.submissionKey!;
    const first = await a.agent.post('/orgs/new', { name: 'Twice Posted' }, { submission: key });
    const second = await a.agent.post('/orgs/new', { name: 'Twice Posted' }, { submission: key });
    assert.equal(first.statusCode, 303);
    assert.equal(second.statusCode, 303);
    const after = await orgsOf(a.email);
    assert.equal(after.length, before.length + 1, 'exactly one organization was created');
    const created = after.find((o) => !before.some((b) => b.slug === o.slug))!;
    assert.deepEqual([created.name, created.role], ['Twice Posted', 'owner']);
    assert.equal(first.headers.location, `/o/${created.slug}`, 'the first post lands in the new organization');
    assert.equal(second.headers.location, first.headers.location, 'the repeat lands where the first went');
    assert.equal(await orgCount('Twice Posted'), 1);
  });

  it('two posts racing with one key create one record', async () => {
    const a = await signUp(t.app);
    await a.agent.get('/orgs/new');
    const key = a.agent.submissionKey!;
    const results = await Promise.all(
      [1, 2, 3].map(() => a.agent.post('/orgs/new', { name: 'Raced Org' }, { submission: key })),
    );
    assert.deepEqual(
      results.map((r) => r.statusCode),
      [303, 303, 303],
    );
    assert.equal(new Set(results.map((r) => r.headers.location)).size, 1);
    assert.equal(await orgCount('Raced Org'), 1);
    assert.equal((await orgsOf(a.email)).length, 2, 'their sign-up organization and one raced one');
  });

  it('a rejected submission lets go of its key, so the corrected form goes through', async () => {
    const a = await signUp(t.app);
    await a.agent.get('/orgs/new');
    const key = a.agent.submissionKey!;
    assert.equal((await a.agent.post('/orgs/new', { name: '' }, { submission: key })).statusCode, 422);
    assert.equal((await a.agent.post('/orgs/new', { name: 'Fixed Name' }, { submission: key })).statusCode, 303);
    assert.equal(await orgCount('Fixed Name'), 1);
  });

  it("another person's submission key is not answered with their outcome", async () => {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    await a.agent.get('/orgs/new');
    const key = a.agent.submissionKey!;
    const first = await a.agent.post('/orgs/new', { name: 'Private Result' }, { submission: key });
    await b.agent.get('/orgs/new');
    const stolen = await b.agent.post('/orgs/new', { name: 'Other' }, { submission: key });
    assert.equal(stolen.statusCode, 409);
    assert.ok(!stolen.body.includes(String(first.headers.location)));
  });

  it('every rendered form carries its own fresh key', async () => {
    const a = await signUp(t.app);
    const keys = new Set<string>();
    for (let i = 0; i < 3; i++) {
      await a.agent.get('/orgs/new');
      keys.add(a.agent.submissionKey!);
    }
    assert.equal(keys.size, 3);
  });

  it('signing in twice with one key signs in both times: the answer carries a cookie a repeat could not replay', async () => {
    const a = await signUp(t.app);
    const browser = new Agent(t.app, '10.77.0.1');
    await browser.get('/login');
    const key = browser.submissionKey!;
    const first = await browser.post('/login', { email: a.email, password: a.password }, { submission: key });
    const second = await browser.post('/login', { email: a.email, password: a.password }, { submission: key });
    assert.equal(first.statusCode, 303);
    assert.equal(second.statusCode, 303);
    assert.ok(
      second.cookies.some((c) => c.name.endsWith('session') && c.value),
      'the repeat sets a session cookie too',
    );
    assert.equal((await browser.get('/orgs')).statusCode, 200);
  });

  it('tokens in submitted paths are not kept in the submissions table', async () => {
    const a = await signUp(t.app);
    await a.agent.get('/orgs/new');
    await a.agent.post('/orgs/new', { name: 'Path Check' }, { submission: a.agent.submissionKey! });
    const paths = await t.owner.selectFrom('form_submissions').select('path').execute();
    assert.ok(paths.every((p) => !/[A-Za-z0-9_-]{43,}/.test(p.path)));
  });
});
