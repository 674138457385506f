// The access matrix, derived from the route table: every route is requested by every kind of
// principal, and the answer expected is read from the access the route declares. A new route
// is walked the moment it is declared; one without a valid example input fails here.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ROLES, type Role } from './core/db/schema.ts';
import type { Example } from './core/http/routes.ts';
import { isStaffUrl } from './core/http/staff-access.ts';
import type { RouteEntry } from './core/http/types.ts';
import { Agent, signUp, useTestApp } from './testing/harness.ts';
import { buildInvoice, buildVendor } from './testing/factories.ts';
import { createHttpApp } from './core/http/app.ts';
import { appContext, buildCatalog } from './core/module.ts';
import { CATALOG } from './server.ts';

const t = useTestApp();

/** Routes outside /o/:org that take a path parameter, and why a guessed value reaches no other org. */
const NON_ORG_PARAM_ROUTES: Record<string, string> = {
  'GET /static/:name': 'public, content-hashed assets',
  'GET /dev/mailbox/:id': 'development only (not registered in production); shows the whole outbox by design',
  'GET /invitations/:token': 'the token is a 256-bit secret sent to the invitee, not a guessable id',
  'POST /invitations/:token/accept': 'the token is a 256-bit secret; accepting also needs the invited email',
  'POST /invitations/:token/decline': 'the token is a 256-bit secret sent to the invitee',
  'POST /account/sessions/:id/revoke':
    "looked up among the signed-in person's own sessions only (another's id: 404, account-settings.test.ts)",
  'GET /password/reset/:token': 'the token is a 256-bit secret, mailed to the account, stored hashed, single use',
  'POST /password/reset/:token': 'the token is a 256-bit secret, mailed to the account, stored hashed, single use',
  'GET /account/email/confirm/:token': 'the token is a 256-bit secret mailed to the new address',
  'POST /account/email/confirm/:token': 'the token is a 256-bit secret mailed to the new address',
  'GET /account/email/report/:token': 'the token is a 256-bit secret mailed to the old address',
  'POST /account/email/report/:token': 'the token is a 256-bit secret mailed to the old address',
};

/**
 * Routes anyone may reach without signing in, and why. A route declared 'public' that is not
 * here fails the walk: an unauthenticated POST cannot slip in unexplained.
 */
const PUBLIC_ROUTES: Record<string, string> = {
  'GET /': 'the front door: sends a signed-in person to their org, others to sign in',
  'GET /static/:name': 'content-hashed CSS, JS and icons',
  'GET /favicon.ico': 'redirects to the hashed icon',
  'GET /healthz': 'liveness for the process manager',
  'GET /readyz': 'readiness for the load balancer (no data)',
  'GET /metrics': 'Prometheus; in production only with METRICS_TOKEN',
  'POST /csp-report': 'browsers send violation reports without cookies or tokens; rate-limited, size-limited',
  'GET /dev/mailbox': 'development only, not registered in production',
  'GET /dev/mailbox/:id': 'development only, not registered in production',
  'GET /login': 'the sign-in form',
  'POST /login': 'signing in; rate-limited per IP and locked per account',
  'GET /login/two-factor': 'the second step of signing in, bound to a signed pending-login cookie',
  'POST /login/two-factor': 'the second step of signing in, bound to a signed pending-login cookie',
  'GET /signup': 'the sign-up form',
  'POST /signup': 'signing up; rate-limited per IP',
  'POST /logout': 'signing out ends the session it is sent with, if any; without one it changes nothing',
  'GET /password/forgot': 'the reset request form',
  'POST /password/forgot': 'asks for a reset link; the same answer for every address; rate-limited',
  'GET /password/forgot/sent': 'the "check your email" page',
  'GET /password/reset/:token': 'the emailed reset link (a 256-bit secret)',
  'POST /password/reset/:token': 'setting the new password with the emailed secret',
  'GET /account/email/confirm/:token': 'the confirmation link mailed to the new address',
  'POST /account/email/confirm/:token': 'confirming the new address with the mailed secret',
  'GET /account/email/report/:token': '"this was not me", mailed to the old address',
  'POST /account/email/report/:token': '"this was not me", mailed to the old address',
  'GET /invitations/:token': 'the invitation link (a 256-bit secret)',
  'POST /invitations/:token/decline': 'declining works without an account',
};

/**
 * Data only some roles may see, by the policy action that shows it: a GET answering a role
 * without that action must not contain it (an org page that leaked it would fail here).
 */
const PRIVILEGED: { action: string; secret: (r: Records) => string }[] = [
  { action: 'invitation.view', secret: (r) => r.invitationEmail! },
  { action: 'org.view_activity', secret: (r) => r.runError! },
];

/** What the access wall says; a record rule that refuses an allowed role says why instead. */
const GENERIC_FORBIDDEN = 'You do not have permission to do that.';

type Records = Record<string, string>;
type Victim = Records & { slug: string; orgId: string; name: string };

let victim: Victim;
/** A signed-in agent per role in the victim org. */
const members = new Map<Role, { agent: Agent; id: string }>();
let outsider: Awaited<ReturnType<typeof signUp>>;
let anonymous: Agent;
let requests = 0;

const walked = () => t.app.routeList;
const isOrgRoute = (r: RouteEntry) => r.url === '/o/:org' || r.url.startsWith('/o/:org/');
const keyOf = (r: RouteEntry) => `${r.method} ${r.url}`;

function declared(r: RouteEntry): Example | undefined {
  return CATALOG.routes.find((d) => d.route.method === r.method && d.route.url === r.url)?.route.example;
}

async function userId(email: string): Promise<string> {
  return (await t.owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

/** A record of every kind the routes name, in `orgId`; a walk that changes things gets fresh ones. */
async function makeRecords(orgId: string, createdBy: string): Promise<Records> {
  const tag = randomBytes(4).toString('hex');
  const person = await t.owner
    .insertInto('users')
    .values({ email: `target.${tag}@example.test`, name: `Target ${tag}`, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.owner.insertInto('memberships').values({ org_id: orgId, user_id: person.id, role: 'member' }).execute();
  const invitation = await t.owner
    .insertInto('invitations')
    .values({
      org_id: orgId,
      email: `invitee.${tag}@example.test`,
      role: 'member',
      token_hash: randomBytes(32),
      expires_at: new Date(Date.now() + 86400_000),
      invited_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const vendor = await buildVendor(t, orgId, { name: `Secret Supplies ${tag}` });
  const payout = await t.owner
    .insertInto('payouts')
    .values({ org_id: orgId, reference: `PO-${tag.toUpperCase()}`, currency: 'EUR', created_by: person.id })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();
  // The invoice has its PDF, so that the attachment download has a file to send.
  const attachmentKey = `${orgId}/${randomUUID()}.pdf`;
  await mkdir(path.join(t.settings.uploadDir, orgId), { recursive: true });
  await writeFile(path.join(t.settings.uploadDir, attachmentKey), '%PDF-1.7\n%%EOF\n');
  const invoice = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: person.id, attachmentKey });
  const run = await t.owner
    .insertInto('task_runs')
    .values({
      org_id: orgId,
      task: 'notifications.payout_paid',
      input: JSON.stringify({ payoutId: payout.id, actorId: person.id }),
      status: 'failed',
      attempts: 5,
      max_attempts: 5,
      error: `run failed ${tag}`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const imp = await t.owner
    .insertInto('imports')
    .values({
      org_id: orgId,
      kind: 'invoices',
      status: 'checked',
      file_key: `${orgId}/00000000-0000-4000-8000-${randomBytes(6).toString('hex')}.csv`,
      file_name: `secret-ledger-${tag}.csv`,
      file_size: 10,
      total_rows: 1,
      valid_rows: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const exp = await t.owner
    .insertInto('exports')
    .values({
      org_id: orgId,
      kind: 'vendors',
      status: 'ready',
      file_key: `exports/${orgId}/${tag}.csv`,
      row_count: 1,
      size_bytes: 10,
      created_by: createdBy,
      expires_at: new Date(Date.now() + 3600_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    userId: person.id,
    invitationId: invitation.id,
    invitationEmail: `invitee.${tag}@example.test`,
    runError: `run failed ${tag}`,
    vendorId: vendor.id,
    vendorName: vendor.name,
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    payoutId: payout.id,
    payoutReference: payout.reference,
    runId: run.id,
    importId: imp.id,
    importFileName: `secret-ledger-${tag}.csv`,
    exportId: exp.id,
    month: '2026-10',
    id: '00000000-0000-4000-8000-000000000000',
    token: randomBytes(32).toString('base64url'),
    name: 'app.css',
  };
}

/** `:name` in a path or an example value, replaced by the record of that name. */
function fill(text: string, records: Records, org: string): string {
  return text.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (name === 'org') return org;
    if (name === 'email') return `someone.${randomBytes(3).toString('hex')}@example.test`;
    const v = records[name];
    assert.ok(v, `no record for :${name} in "${text}": add one to makeRecords() in src/access-matrix.test.ts`);
    return v;
  });
}

function fillAll(values: Record<string, string> | undefined, records: Records, org: string) {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, fill(v, records, org)]));
}

/** Requests a route as `agent`, with the records' ids in the path, the query and the body. */
function request(agent: Agent, r: RouteEntry, records: Records, org: string): Promise<LightMyRequestResponse> {
  requests += 1;
  const example = declared(r);
  const query = new URLSearchParams(fillAll(example?.query, records, org)).toString();
  const url = fill(r.url, records, org) + (query ? `?${query}` : '');
  if (r.method === 'GET') return agent.get(url);
  const body = fillAll(example?.body, records, org);
  if (example?.multipart) return postMultipart(agent, url, body, example.multipart);
  return agent.post(url, body);
}

function postMultipart(
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file: NonNullable<Example['multipart']>,
) {
  const boundary = `----lw${randomBytes(8).toString('hex')}`;
  const all = { ...fields, ...(agent.csrf ? { _csrf: agent.csrf } : {}) };
  const parts = Object.entries(all).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n${file.content}\r\n`,
    `--${boundary}--\r\n`,
  );
  return agent.request({
    method: 'POST',
    url,
    payload: parts.join(''),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

function secretsOf(records: Records): string[] {
  return [
    victim.name,
    records.vendorName!,
    records.invoiceNumber!,
    records.payoutReference!,
    records.importFileName!,
    records.userId!,
    records.invitationId!,
    records.invitationEmail!,
  ];
}

/** Everything of the victim org that a leak or a forbidden write would change. */
async function victimState() {
  const id = victim.orgId;
  const o = t.owner;
  const all = async (table: 'vendors' | 'invoices' | 'payouts' | 'imports' | 'exports' | 'monthly_reports') =>
    o.selectFrom(table).selectAll().where('org_id', '=', id).execute();
  const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    audit: (await o.selectFrom('audit_log').select('id').where('org_id', '=', id).execute()).length,
    org: await o.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    members: sorted(await o.selectFrom('memberships').selectAll().where('org_id', '=', id).execute()),
    invitations: sorted(await o.selectFrom('invitations').selectAll().where('org_id', '=', id).execute()),
    comments: (await o.selectFrom('invoice_comments').select('id').where('org_id', '=', id).execute()).length,
    runs: sorted(await o.selectFrom('task_runs').selectAll().where('org_id', '=', id).execute()),
    vendors: sorted(await all('vendors')),
    invoices: sorted(await all('invoices')),
    payouts: sorted(await all('payouts')),
    imports: sorted(await all('imports')),
    exports: sorted(await all('exports')),
    reports: sorted(await all('monthly_reports')),
  };
}

function allows(access: string, role: Role): boolean {
  return CATALOG.accessRules.get(access)?.includes(role) ?? false;
}

function assertSentToSignIn(res: LightMyRequestResponse, what: string) {
  if (what.startsWith('GET'))
    assert.match(String(res.headers.location), /^\/login\?next=/, `${what}: ${res.statusCode}`);
  else assert.equal(res.statusCode, 401, what);
}

describe('the access matrix: every route × every principal, expected answers from the declared access', () => {
  before(async () => {
    const owner = await signUp(t.app, { org: 'Victim Vault Holdings' });
    const orgId = (
      await t.owner.selectFrom('organizations').select('id').where('slug', '=', owner.slug).executeTakeFirstOrThrow()
    ).id;
    members.set('owner', { agent: owner.agent, id: await userId(owner.email) });
    for (const role of ROLES.filter((r) => r !== 'owner')) {
      const p = await signUp(t.app);
      const id = await userId(p.email);
      await t.owner.insertInto('memberships').values({ org_id: orgId, user_id: id, role }).execute();
      members.set(role, { agent: p.agent, id });
    }
    const records = await makeRecords(orgId, members.get('owner')!.id);
    await t.owner
      .insertInto('monthly_reports')
      .values({
        org_id: orgId,
        month: '2026-10-01',
        data: JSON.stringify({
          byCurrency: [],
          byVendor: [],
          byCategory: [],
          approvals: { approved: 0, rejected: 0, medianHours: null, averageHours: null },
        }),
      })
      .execute();
    victim = { ...records, slug: owner.slug, orgId, name: 'Victim Vault Holdings' };
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
        for (const secret of secretsOf(victim)) assert.ok(!res.body.includes(secret), `${keyOf(r)} leaked "${secret}"`);
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

  it('every route outside /o/:org that takes a path parameter is listed with the reason it is safe', () => {
    const unexplained = t.app.routeList
      .filter((r) => !isOrgRoute(r) && /[:*]/.test(r.url))
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
      `access matrix: ${t.app.routeList.length} routes × ${principals} principals (signed out, ${members.size} roles, another org's member); ${requests} requests walked\n`,
    );
    assert.ok(requests > t.app.routeList.length * 3);
  });
});
