import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from '../../../core/http/app.ts';
import { appContext, buildCatalog } from '../../../core/module.ts';
import { Agent, signUp, useTestApp } from '../../../testing/harness.ts';
import { orgScope } from '../../orgs/routes.ts';
import { accountsModule } from '../module.ts';
import { nextIp, twoFactorHelpers } from '../test-helpers.ts';

const t = useTestApp();

const { userIdOf, enrol } = twoFactorHelpers(t);

describe('organizations that require two-factor', () => {
  it('a member without two-factor is sent to set it up, with the reason; a member with it gets in', async () => {
    const { agent, email, slug } = await signUp(t.app, { ip: nextIp(), org: 'Strict Books' });
    await t.owner.updateTable('organizations').set({ require_2fa: true }).where('slug', '=', slug).execute();
    const res = await agent.get(`/o/${slug}/members`);
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, `/account/two-factor?org=${slug}`);
    const page = await agent.get(String(res.headers.location));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Strict Books requires two-factor authentication/);

    await enrol(agent, await userIdOf(email));
    assert.equal((await agent.get(`/o/${slug}/members`)).statusCode, 200);
  });

  it("the reason names only an org of the person: another org's slug in ?org= says nothing", async () => {
    const other = await signUp(t.app, { ip: nextIp(), org: 'Secret Org Name' });
    await t.owner.updateTable('organizations').set({ require_2fa: true }).where('slug', '=', other.slug).execute();
    const { agent } = await signUp(t.app, { ip: nextIp() });
    const page = await agent.get(`/account/two-factor?org=${other.slug}`);
    assert.doesNotMatch(page.body, /Secret Org Name/);
  });

  describe('changes (non-GET requests)', () => {
    // No org page takes a POST yet, so the org scope is mounted on an app of its own with one.
    let scoped: FastifyInstance;
    before(async () => {
      const context = appContext({ db: t.db, pool: t.pool }, t.services, buildCatalog([]));
      scoped = await createHttpApp(context);
      // The accounts module's session lookup, without its routes.
      accountsModule.requestHooks?.(scoped, context);
      scoped.get('/form', { config: { access: 'public' } }, async (_request, reply) =>
        reply.type('text/html').send(`<input type="hidden" name="_csrf" value="${reply.generateCsrf()}">`),
      );
      await scoped.register(
        async (scope) => {
          orgScope(scope, t.db);
          scope.post('/change', { config: { access: 'public' } }, async () => 'changed');
        },
        { prefix: '/o/:org' },
      );
      await scoped.ready();
    });
    after(() => scoped?.close());

    it('a change in an org that requires two-factor is refused with 403 for a member without it, and allowed with it', async () => {
      const { agent, email, slug } = await signUp(t.app, { ip: nextIp(), org: 'Strict Changes' });
      await t.owner.updateTable('organizations').set({ require_2fa: true }).where('slug', '=', slug).execute();
      const there = new Agent(scoped, nextIp());
      there.cookies = agent.cookies;
      await there.get('/form');
      const refused = await there.post(`/o/${slug}/change`, {});
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /Strict Changes requires two-factor authentication/);

      await enrol(agent, await userIdOf(email));
      await there.get('/form');
      const allowed = await there.post(`/o/${slug}/change`, {});
      assert.equal(allowed.statusCode, 200);
      assert.equal(allowed.body, 'changed');
    });
  });
});
