import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildOrg, orgAudit } from '../../testing/factories.ts';
import { signUp, useTestApp } from '../../testing/harness.ts';

const t = useTestApp();

async function org(slug: string) {
  return t.owner.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
}

const valid = {
  name: 'Renamed Org',
  billing_email: 'billing@acme.test',
  default_currency: 'USD',
  approval_threshold: '25,000.50',
};

async function save(agent: Awaited<ReturnType<typeof signUp>>['agent'], slug: string, fields: Record<string, string>) {
  await agent.get(`/o/${slug}/settings`);
  return agent.post(`/o/${slug}/settings`, fields);
}

describe('organization settings', () => {
  it('only owners and admins open or change the settings', async () => {
    const built = await buildOrg(t, { roles: ['approver', 'accountant', 'member', 'viewer'] });
    const owner = { ...built.owner, slug: built.slug };
    const o = await org(owner.slug);
    for (const role of ['approver', 'accountant', 'member', 'viewer'] as const) {
      const p = built.people[role];
      assert.equal((await p.agent.get(`/o/${owner.slug}/settings`)).statusCode, 403, role);
      await p.agent.get(`/o/${owner.slug}`);
      assert.equal((await p.agent.post(`/o/${owner.slug}/settings`, valid)).statusCode, 403, role);
      assert.doesNotMatch(
        (await p.agent.get(`/o/${owner.slug}`)).body,
        /href="\/o\/[^"]+\/settings"/,
        'no Settings link for ' + role,
      );
    }
    assert.equal((await org(owner.slug)).name, o.name);
  });

  it('bad values are refused next to their field and nothing is saved', async () => {
    const owner = await signUp(t.app);
    const before = await org(owner.slug);
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...valid, name: '' }, /Give the organization a name/],
      [{ ...valid, billing_email: 'nope' }, /valid email address/],
      [{ ...valid, default_currency: 'XXX' }, /Choose one of the listed currencies/],
      [{ ...valid, approval_threshold: '-5' }, /positive amount/],
      [{ ...valid, approval_threshold: '12.345' }, /at most 2 decimals/],
      [{ ...valid, default_currency: 'JPY', approval_threshold: '1000.5' }, /at most 0 decimals/],
      [{ ...valid, approval_threshold: '0' }, /positive amount/],
    ];
    for (const [fields, message] of cases) {
      const res = await save(owner.agent, owner.slug, fields);
      assert.equal(res.statusCode, 422, JSON.stringify(fields));
      assert.match(res.body, message);
    }
    assert.deepEqual(await org(owner.slug), before);
  });

  it('saving stores exact minor units and audits each changed field with its old and new value', async () => {
    const owner = await signUp(t.app);
    const res = await save(owner.agent, owner.slug, valid);
    assert.equal(res.statusCode, 303);
    const after = await org(owner.slug);
    assert.equal(after.name, 'Renamed Org');
    assert.equal(after.approval_threshold_minor, '2500050');
    assert.equal(after.default_currency, 'USD');
    const audit = await orgAudit(t, after.id, 'org.%changed');
    assert.deepEqual(
      audit.map((a) => a.action),
      ['org.settings_changed', 'org.billing_email_changed'],
    );
    assert.deepEqual(audit[1]!.changes, { from: null, to: 'billing@acme.test' });
    const page = await owner.agent.get(`/o/${owner.slug}/settings`);
    assert.match(page.body, /value="25000.50"/);
  });

  it('changing the billing email tells the previous address; saving unchanged settings records nothing', async () => {
    const owner = await signUp(t.app);
    await save(owner.agent, owner.slug, valid);
    const orgId = (await org(owner.slug)).id;
    const count = async () => (await orgAudit(t, orgId, 'org.%changed')).length;
    const before = await count();
    const unchanged = await save(owner.agent, owner.slug, valid);
    assert.equal(unchanged.statusCode, 303);
    assert.equal(await count(), before);
    await save(owner.agent, owner.slug, { ...valid, billing_email: 'new-billing@acme.test' });
    const notice = await t.owner
      .selectFrom('mail_outbox')
      .select(['subject', 'text_body'])
      .where('to_address', '=', 'billing@acme.test')
      .executeTakeFirstOrThrow();
    assert.match(notice.subject, /billing email/);
    assert.match(notice.text_body, /new-billing@acme\.test/);
    const last = (await orgAudit(t, orgId, 'org.billing_email_changed')).at(-1);
    assert.deepEqual(last?.changes, { from: 'billing@acme.test', to: 'new-billing@acme.test' });
  });

  it('requiring two-factor is refused while the person saving it has none themselves', async () => {
    const owner = await signUp(t.app);
    const res = await save(owner.agent, owner.slug, { ...valid, require_2fa: 'on' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Turn on two-factor authentication for your own account first/);
    assert.equal((await org(owner.slug)).require_2fa, false);
    await t.owner
      .updateTable('users')
      .set({ totp_secret: 'sealed', totp_enabled_at: new Date() })
      .where('email', '=', owner.email)
      .execute();
    assert.equal((await save(owner.agent, owner.slug, { ...valid, require_2fa: 'on' })).statusCode, 303);
    assert.equal((await org(owner.slug)).require_2fa, true);
  });
});
