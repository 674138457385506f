// Tenant isolation, proven over the route table itself: every org-scoped route, every
// method, is requested by a member of another org with ids guessed from the victim org.
// A new route fails here until it has fixtures, so it cannot slip in unchecked.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Agent, signUp, useTestApp } from './testing/harness.ts';
import { buildInvoice, buildVendor } from './testing/factories.ts';

const t = useTestApp();

/** Routes outside /o/:org that take a path parameter, and why that is safe. */
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

/** Unsafe org routes a viewer may use, and why. */
const VIEWER_MAY: Record<string, string> = {
  'POST /o/:org/leave': 'anyone may leave an organization',
};

type Victim = {
  slug: string;
  orgId: string;
  name: string;
  memberId: string;
  memberEmail: string;
  invitationId: string;
  invitationEmail: string;
  vendorId: string;
  vendorName: string;
  invoiceId: string;
  invoiceNumber: string;
  payoutId: string;
  payoutReference: string;
  runId: string;
  importId: string;
  importFileName: string;
  exportId: string;
};
let victim: Victim;
let attacker: Awaited<ReturnType<typeof signUp>>;
let viewer: Agent;

const invoiceBody = {
  number: 'HIJACK-1',
  issue_date: '2026-11-01',
  due_date: '2026-12-01',
  amount: '999.00',
  currency: 'EUR',
  description: '',
  category: 'other',
};

/** A valid body for each unsafe route, so a refusal is about permission, not bad input. */
function bodyFor(route: string): Record<string, string> | undefined {
  const bodies: Record<string, Record<string, string>> = {
    'POST /o/:org/members/:userId/role': { role: 'admin' },
    'POST /o/:org/members/:userId/remove': {},
    'POST /o/:org/members/:userId/limit': { limit: '99999999.00' },
    'POST /o/:org/invoices/:invoiceId/row/approve': {},
    'POST /o/:org/invoices/:invoiceId/row/reject': { reason: 'Looks wrong' },
    'POST /o/:org/invoices/bulk-approve': { invoice: victim.invoiceId },
    'POST /o/:org/leave': {},
    'POST /o/:org/settings': {
      name: 'Hijacked',
      billing_email: 'thief@evil.test',
      default_currency: 'EUR',
      approval_threshold: '1.00',
    },
    'POST /o/:org/invitations': { email: 'accomplice@evil.test', role: 'owner' },
    'POST /o/:org/invitations/:invitationId/resend': {},
    'POST /o/:org/invitations/:invitationId/revoke': {},
    'POST /o/:org/invoices/:invoiceId/submit': {},
    'POST /o/:org/invoices/:invoiceId/withdraw': {},
    'POST /o/:org/invoices/:invoiceId/approve': {},
    'POST /o/:org/invoices/:invoiceId/reject': { reason: 'Not ours' },
    'POST /o/:org/invoices/:invoiceId/comments': { body: 'Looks fine to me' },
    'POST /o/:org/payouts': { currency: 'EUR', invoice: victim.invoiceId },
    'POST /o/:org/payouts/bank-account': {
      bank_account_name: 'Thief Ltd',
      bank_iban: 'DE89370400440532013000',
      bank_bic: 'COBADEFFXXX',
    },
    'POST /o/:org/payouts/:payoutId/approve': {},
    'POST /o/:org/payouts/:payoutId/paid': { bank_reference: 'BANK-REF-1' },
    'POST /o/:org/payouts/:payoutId/cancel': {},
    'POST /o/:org/vendors': {
      name: 'Hijack Ltd',
      tax_id: 'XX 999 999',
      iban: 'DE89 3704 0044 0532 0130 00',
      bic: 'COBADEFFXXX',
      account_number: '',
      default_currency: 'EUR',
      email: '',
    },
    'POST /o/:org/vendors/:vendorId/edit': {
      name: 'Hijack Ltd',
      tax_id: 'XX 999 999',
      iban: 'GB82 WEST 1234 5698 7654 32',
      bic: '',
      account_number: '',
      default_currency: 'EUR',
      email: 'thief@evil.test',
    },
    'POST /o/:org/vendors/:vendorId/archive': {},
    'POST /o/:org/vendors/:vendorId/unarchive': {},
    'POST /o/:org/invoices': { ...invoiceBody, vendor_id: victim.vendorId },
    'POST /o/:org/invoices/:invoiceId/edit': { ...invoiceBody, vendor_id: victim.vendorId },
    'POST /o/:org/activity/runs/:runId/retry': {},
    'POST /o/:org/imports': { kind: 'invoices', encoding: 'auto', delimiter: 'auto' },
    'POST /o/:org/imports/:importId/apply': { mode: 'valid_rows' },
    'POST /o/:org/imports/:importId/retry': {},
    'POST /o/:org/reports/rebuild': { month: '2026-10' },
  };
  return bodies[route];
}

/** The route with the victim's ids; `inOrg` puts another org's slug in front of them. */
function fill(url: string, inOrg?: string): string {
  const params: Record<string, string> = {
    org: inOrg ?? victim.slug,
    userId: victim.memberId,
    invitationId: victim.invitationId,
    vendorId: victim.vendorId,
    invoiceId: victim.invoiceId,
    payoutId: victim.payoutId,
    runId: victim.runId,
    importId: victim.importId,
    exportId: victim.exportId,
    month: '2026-10',
  };
  return url.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params[name];
    assert.ok(v, `no fixture for :${name} in ${url}: add one to the route walk in src/route-isolation.test.ts`);
    return v;
  });
}

function orgRoutes() {
  return t.app.routeList.filter((r) => r.url === '/o/:org' || r.url.startsWith('/o/:org/'));
}

/** Everything of the victim org that a leak or a forbidden write would change. */
async function victimState() {
  const audit = await t.owner
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', victim.orgId)
    .executeTakeFirstOrThrow();
  const org = await t.owner
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', victim.orgId)
    .executeTakeFirstOrThrow();
  const members = await t.owner
    .selectFrom('memberships')
    .select(['user_id', 'role'])
    .where('org_id', '=', victim.orgId)
    .orderBy('user_id')
    .execute();
  const invitations = await t.owner
    .selectFrom('invitations')
    .select(['id', 'revoked_at', 'send_count'])
    .where('org_id', '=', victim.orgId)
    .orderBy('id')
    .execute();
  const vendors = await t.owner
    .selectFrom('vendors')
    .selectAll()
    .where('org_id', '=', victim.orgId)
    .orderBy('id')
    .execute();
  const invoices = await t.owner
    .selectFrom('invoices')
    .selectAll()
    .where('org_id', '=', victim.orgId)
    .orderBy('id')
    .execute();
  const payouts = await t.owner
    .selectFrom('payouts')
    .selectAll()
    .where('org_id', '=', victim.orgId)
    .orderBy('id')
    .execute();
  const comments = await t.owner
    .selectFrom('invoice_comments')
    .select('id')
    .where('org_id', '=', victim.orgId)
    .execute();
  const runs = await t.owner
    .selectFrom('task_runs')
    .select(['id', 'status', 'retry_of'])
    .where('org_id', '=', victim.orgId)
    .orderBy('id')
    .execute();
  const imports = await t.owner
    .selectFrom('imports')
    .selectAll()
    .where('org_id', '=', victim.orgId)
    .orderBy('id')
    .execute();
  const exports = await t.owner
    .selectFrom('exports')
    .selectAll()
    .where('org_id', '=', victim.orgId)
    .orderBy('id')
    .execute();
  const reports = await t.owner
    .selectFrom('monthly_reports')
    .selectAll()
    .where('org_id', '=', victim.orgId)
    .orderBy('month')
    .execute();
  return {
    audit: audit.n,
    org,
    members,
    invitations,
    vendors,
    invoices,
    payouts,
    comments,
    runs,
    imports,
    exports,
    reports,
  };
}

describe('tenant isolation over every org-scoped route', () => {
  before(async () => {
    const owner = await signUp(t.app, { org: 'Victim Vault Holdings' });
    const orgId = (
      await t.owner.selectFrom('organizations').select('id').where('slug', '=', owner.slug).executeTakeFirstOrThrow()
    ).id;
    const member = await signUp(t.app);
    const memberId = (
      await t.owner.selectFrom('users').select('id').where('email', '=', member.email).executeTakeFirstOrThrow()
    ).id;
    await t.owner.insertInto('memberships').values({ org_id: orgId, user_id: memberId, role: 'member' }).execute();
    const v = await signUp(t.app);
    const viewerId = (
      await t.owner.selectFrom('users').select('id').where('email', '=', v.email).executeTakeFirstOrThrow()
    ).id;
    await t.owner.insertInto('memberships').values({ org_id: orgId, user_id: viewerId, role: 'viewer' }).execute();
    viewer = v.agent;
    const invitationEmail = 'pending.victim.invitee@example.test';
    await owner.agent.get(`/o/${owner.slug}/invitations`);
    await owner.agent.post(`/o/${owner.slug}/invitations`, { email: invitationEmail, role: 'member' });
    const inv = await t.owner
      .selectFrom('invitations')
      .select('id')
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    const vendor = await buildVendor(t, orgId, { name: 'Victim Secret Supplies' });
    const payout = await t.owner
      .insertInto('payouts')
      .values({ org_id: orgId, reference: 'PO-VICTIM-1', currency: 'EUR', created_by: memberId })
      .returningAll()
      .executeTakeFirstOrThrow();
    const invoice = await buildInvoice(t, orgId, vendor.id, {
      status: 'submitted',
      number: 'VICTIM-INV-1',
      createdBy: memberId,
    });
    // A run that failed for good: the one thing the Retry route acts on.
    const run = await t.owner
      .insertInto('task_runs')
      .values({
        org_id: orgId,
        task: 'notifications.payout_paid',
        input: JSON.stringify({ payoutId: payout.id, actorId: memberId }),
        status: 'failed',
        attempts: 5,
        max_attempts: 5,
        error: 'victim run failed',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const imp = await t.owner
      .insertInto('imports')
      .values({
        org_id: orgId,
        kind: 'invoices',
        status: 'checked',
        file_key: `${orgId}/00000000-0000-4000-8000-000000000001.csv`,
        file_name: 'victim-secret-ledger.csv',
        file_size: 10,
        total_rows: 1,
        valid_rows: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ownerId = (
      await t.owner.selectFrom('users').select('id').where('email', '=', owner.email).executeTakeFirstOrThrow()
    ).id;
    const file = await t.owner
      .insertInto('exports')
      .values({
        org_id: orgId,
        kind: 'vendors',
        status: 'ready',
        file_key: `exports/${orgId}/victim.csv`,
        row_count: 1,
        size_bytes: 10,
        created_by: ownerId,
        expires_at: new Date(Date.now() + 3600_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
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
    victim = {
      slug: owner.slug,
      orgId,
      name: 'Victim Vault Holdings',
      memberId,
      memberEmail: member.email,
      invitationId: inv.id,
      invitationEmail,
      vendorId: vendor.id,
      vendorName: vendor.name,
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      payoutId: payout.id,
      payoutReference: payout.reference,
      runId: run.id,
      importId: imp.id,
      importFileName: 'victim-secret-ledger.csv',
      exportId: file.id,
    };
    attacker = await signUp(t.app, { org: 'Attacker Org' });
  });

  it('the walk covers the org routes the app has (a sanity floor)', () => {
    const urls = orgRoutes().map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'GET /o/:org',
      'GET /o/:org/members',
      'POST /o/:org/members/:userId/role',
      'GET /o/:org/settings',
      'POST /o/:org/invitations',
    ]) {
      assert.ok(urls.includes(expected), `${expected} is in the route table`);
    }
  });

  it('a member of another org gets 404 on every org-scoped route and method, leaks nothing and changes nothing', async () => {
    const stateBefore = await victimState();
    await attacker.agent.get(`/o/${attacker.slug}`);
    for (const route of orgRoutes()) {
      const key = `${route.method} ${route.url}`;
      const url = fill(route.url);
      let res;
      if (route.method === 'GET') {
        res = await attacker.agent.get(url);
      } else {
        const body = bodyFor(key);
        assert.ok(body, `no body fixture for ${key}: add one to bodyFor() in src/route-isolation.test.ts`);
        res = await attacker.agent.post(url, body);
      }
      assert.equal(res.statusCode, 404, `${key} answered ${res.statusCode} to a member of another org`);
      for (const secret of [
        victim.name,
        victim.memberEmail,
        victim.invitationEmail,
        victim.memberId,
        victim.invitationId,
        victim.vendorName,
        victim.invoiceNumber,
        victim.payoutReference,
        victim.importId,
        victim.importFileName,
      ]) {
        assert.ok(!res.body.includes(secret), `${key} leaked "${secret}"`);
      }
    }
    assert.deepEqual(await victimState(), stateBefore);
  });

  it("inside their own org, a member guessing the other org's record ids gets 404 on every route that takes one", async () => {
    const stateBefore = await victimState();
    await attacker.agent.get(`/o/${attacker.slug}`);
    // Every path parameter but the org's slug and a report's month (a calendar month, the same
    // in every org, not a record) names a record.
    const withIds = orgRoutes().filter((r) => /:(?!org\b|month\b)[A-Za-z]+/.test(r.url));
    assert.ok(withIds.length > 5, 'routes that take record ids');
    for (const route of withIds) {
      const key = `${route.method} ${route.url}`;
      const url = fill(route.url, attacker.slug);
      const res =
        route.method === 'GET' ? await attacker.agent.get(url) : await attacker.agent.post(url, bodyFor(key) ?? {});
      assert.equal(res.statusCode, 404, `${key} with the other org's ids answered ${res.statusCode}`);
      for (const secret of [
        victim.name,
        victim.memberEmail,
        victim.invitationEmail,
        victim.vendorName,
        victim.invoiceNumber,
        victim.payoutReference,
      ]) {
        assert.ok(!res.body.includes(secret), `${key} leaked "${secret}"`);
      }
    }
    assert.deepEqual(await victimState(), stateBefore);
  });

  it('a viewer of the org is refused every unsafe action (403) and nothing changes', async () => {
    const stateBefore = await victimState();
    await viewer.get(`/o/${victim.slug}`);
    for (const route of orgRoutes().filter((r) => r.method !== 'GET')) {
      const key = `${route.method} ${route.url}`;
      if (VIEWER_MAY[key]) continue;
      const body = bodyFor(key);
      assert.ok(body, `no body fixture for ${key}: add one to bodyFor() in src/route-isolation.test.ts`);
      const res = await viewer.post(fill(route.url), body);
      assert.equal(res.statusCode, 403, `${key} answered ${res.statusCode} to a viewer`);
    }
    assert.deepEqual(await victimState(), stateBefore);
  });

  it('a signed-out visitor is sent to sign in (GET) or refused (POST) on every org route', async () => {
    const anon = new Agent(t.app, '10.99.0.1');
    await anon.get('/login');
    for (const route of orgRoutes()) {
      const res =
        route.method === 'GET'
          ? await anon.get(fill(route.url))
          : await anon.post(fill(route.url), bodyFor(`${route.method} ${route.url}`) ?? {});
      if (route.method === 'GET') assert.match(String(res.headers.location), /^\/login\?next=/, route.url);
      else assert.equal(res.statusCode, 401, `${route.method} ${route.url}`);
    }
  });

  it('every route outside /o/:org that takes a path parameter is listed with the reason it is safe', () => {
    const unexplained = t.app.routeList
      .filter((r) => !(r.url === '/o/:org' || r.url.startsWith('/o/:org/')) && /[:*]/.test(r.url))
      .map((r) => `${r.method} ${r.url}`)
      .filter((k) => !NON_ORG_PARAM_ROUTES[k]);
    assert.deepEqual(
      unexplained,
      [],
      'add these to NON_ORG_PARAM_ROUTES with the reason a guessed parameter cannot reach another org',
    );
  });
});
