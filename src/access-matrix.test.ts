// The access matrix, derived from the route table: every route is requested by every kind of
// principal, and the answer expected is read from the access the route declares. A new route
// is walked the moment it is declared; one without a valid example input fails here. What the
// routes are held to beside their declarations is in src/testing/access-matrix.ts, the walk in
// src/testing/access-walk.ts.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isStaffUrl } from './core/http/staff-access.ts';
import { ROLES, type Role } from './core/roles.ts';
import { createHttpApp } from './core/http/app.ts';
import { appContext, buildCatalog } from './core/module.ts';
import { CATALOG } from './server.ts';
import {
  GENERIC_FORBIDDEN,
  NON_ORG_PARAM_ROUTES,
  PRIVILEGED,
  PUBLIC_ROUTES,
  type Records,
} from './testing/access-matrix.ts';
import {
  accessWalk,
  allows,
  assertSentToSignIn,
  declared,
  isOrgRoute,
  keyOf,
  secretsOf,
} from './testing/access-walk.ts';
import { buildOrg } from './testing/factories.ts';
import { Agent, signUp, useTestApp } from './testing/harness.ts';

const t = useTestApp();
const { makeRecords, request, orgState, requests } = accessWalk(t);

type Victim = Records & { slug: string; orgId: string; name: string };

let victim: Victim;
/** A signed-in agent per role in the victim org. */
const members = new Map<Role, { agent: Agent; id: string }>();
let outsider: Awaited<ReturnType<typeof signUp>>;
let anonymous: Agent;

const walked = () => t.app.routeList;
const victimState = () => orgState(victim.orgId);

describe('the access matrix: every route × every principal, expected answers from the declared access', () => {
  before(async () => {
    const org = await buildOrg(t, { name: 'Victim Vault Holdings', roles: ROLES.filter((r) => r !== 'owner') });
    const orgId = org.orgId;
    for (const p of Object.values(org.people)) members.set(p.role, { agent: p.agent, id: p.id });
    const records = await makeRecords(orgId, members.get('owner')!.id);
    victim = { ...records, slug: org.slug, orgId, name: 'Victim Vault Holdings' };
    outsider = await signUp(t.app, { org: 'Attacker Org' });
    anonymous = new Agent(t.app, '10.99.0.1');
    // Each agent holds a CSRF token, so a refusal is never about a missing token.
    await anonymous.get('/login');
    for (const { agent } of members.values()) await agent.get('/orgs/new');
    await outsider.agent.get('/orgs/new');
  });

  it('a route that declares no access cannot be registered, and the walk covers the app (a sanity floor)', async () => {
    const bare = await createHttpApp(appContext({ db: t.db, pool: t.pool }, t.services, buildCatalog([])));
    assert.throws(() => bare.get('/unguarded', async () => 'owner-only data'), /declares no access/);
    await bare.close();
    const urls = t.app.routeList.map(keyOf);
    for (const expected of ['GET /o/:org', 'POST /o/:org/members/:userId/role', 'GET /o/:org/settings', 'GET /login'])
      assert.ok(urls.includes(expected), `${expected} is in the route table`);
  });

  it('every route that reads a form body has a valid example input to walk with', () => {
    const missing = CATALOG.routes
      .filter(({ route }) => (route.body || route.multipart) && !route.example?.body && !route.example?.multipart)
      .map(({ route }) => `${route.method} ${route.url}`);
    assert.deepEqual(missing, [], 'add example: { body: {...} } beside these routes');
  });

  it('signed out: org and signed-in routes send GETs to sign in and refuse the rest (401), staff ones 404; public ones never 5xx', async () => {
    for (const r of walked()) {
      const res = await request(anonymous, r, victim, victim.slug);
      // /readyz answers 503 by design while no worker runs; a 500 would be an unhandled error.
      if (r.access === 'public') assert.notEqual(res.statusCode, 500, `${keyOf(r)} answered ${res.statusCode}`);
      // The back-office does not exist for anyone but staff (staff-access.test.ts walks it per staff role).
      else if (isStaffUrl(r.url)) assert.equal(res.statusCode, 404, keyOf(r));
      else assertSentToSignIn(res, keyOf(r));
    }
  });

  it('a member of another org gets 404 on every org route, with the victim’s ids in path, query and body; nothing leaks or changes', async () => {
    const before = await victimState();
    for (const r of walked().filter(isOrgRoute)) {
      for (const org of [victim.slug, outsider.slug]) {
        // With the victim's slug, and inside their own org with the victim's record ids.
        if (org === outsider.slug && !/:(?!org\b|month\b)[A-Za-z]+/.test(r.url + JSON.stringify(declared(r) ?? {})))
          continue;
        const res = await request(outsider.agent, r, victim, org);
        assert.equal(
          res.statusCode,
          404,
          `${keyOf(r)} (in ${org === victim.slug ? 'the victim org' : 'their own org'}) answered ${res.statusCode}`,
        );
        for (const secret of secretsOf(victim.name, victim))
          assert.ok(!res.body.includes(secret), `${keyOf(r)} leaked "${secret}"`);
      }
    }
    assert.deepEqual(await victimState(), before);
  });

  it('each role is refused (403) every org route its role may not use, and nothing changes', async () => {
    const before = await victimState();
    for (const r of walked().filter(isOrgRoute)) {
      for (const [role, { agent }] of members) {
        if (allows(r.access, role)) continue;
        const res = await request(agent, r, victim, victim.slug);
        assert.equal(res.statusCode, 403, `${keyOf(r)} answered ${res.statusCode} to ${role} (access ${r.access})`);
      }
    }
    assert.deepEqual(await victimState(), before);
  });

  it('each role the access allows gets through the wall on every org route (fresh records for each request)', async () => {
    for (const r of walked().filter(isOrgRoute)) {
      for (const [role, { agent, id }] of members) {
        if (!allows(r.access, role)) continue;
        const records = r.method === 'GET' ? victim : await makeRecords(victim.orgId, members.get('owner')!.id);
        const res = await request(agent, r, records, victim.slug);
        const what = `${keyOf(r)} as ${role} (access ${r.access})`;
        assert.ok(res.statusCode < 500, `${what} answered ${res.statusCode}`);
        assert.ok(![401, 404].includes(res.statusCode), `${what} answered ${res.statusCode}`);
        if (res.statusCode === 403)
          assert.ok(!res.body.includes(GENERIC_FORBIDDEN), `${what} was refused by the access wall`);
        for (const p of PRIVILEGED.filter((x) => !allows(x.action, role)))
          assert.ok(!res.body.includes(p.secret(records)), `${what} showed what only ${p.action} may see`);
        // Leaving is allowed to everyone: come back for the rest of the walk.
        if (keyOf(r) === 'POST /o/:org/leave' && res.statusCode === 303)
          await t.owner.insertInto('memberships').values({ org_id: victim.orgId, user_id: id, role }).execute();
      }
    }
  });

  it('signed in, every route outside /o/:org answers without a 5xx and without asking to sign in', async () => {
    for (const r of walked().filter((x) => !isOrgRoute(x) && x.access !== 'public')) {
      // A person of their own for each route: some of these sign out, delete the account or end sessions.
      const p = await signUp(t.app);
      await p.agent.get('/orgs/new');
      const res = await request(p.agent, r, victim, p.slug);
      assert.ok(res.statusCode < 500 && res.statusCode !== 401, `${keyOf(r)} answered ${res.statusCode}`);
    }
  });

  it('every public route is listed with the reason it needs no sign-in', () => {
    const pub = walked()
      .filter((r) => r.access === 'public')
      .map(keyOf)
      .sort();
    assert.deepEqual(pub, Object.keys(PUBLIC_ROUTES).sort(), 'a public route needs its reason in PUBLIC_ROUTES');
  });

  // The back-office reads every org by design (staff roles, two-factor, audited views), and
  // staff-access.test.ts walks it per staff role: its ids are not a tenant boundary.
  it('every route outside /o/:org and /staff that takes a path parameter is listed with the reason it is safe', () => {
    const unexplained = t.app.routeList
      .filter((r) => !isOrgRoute(r) && !isStaffUrl(r.url) && /[:*]/.test(r.url))
      .map(keyOf)
      .filter((k) => !NON_ORG_PARAM_ROUTES[k]);
    assert.deepEqual(
      unexplained,
      [],
      'add these to NON_ORG_PARAM_ROUTES with the reason a guessed parameter cannot reach another org',
    );
  });

  it('prints the size of the matrix', () => {
    const principals = 2 + members.size;
    process.stdout.write(
      `access matrix: ${t.app.routeList.length} routes × ${principals} principals (signed out, ${members.size} roles, another org's member); ${requests()} requests walked\n`,
    );
    assert.ok(requests() > t.app.routeList.length * 3);
  });
});
