import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signUp, useTestApp } from '../../testing/harness.ts';
import { buildInvoice, buildOrg, buildVendor, EVERY_ROLE, orgAudit } from '../../testing/factories.ts';
import { ROLES, type Role } from '../../core/roles.ts';
import { exportRows } from './files.ts';
import { canExportAnything, RULES } from './policy.ts';
import { MAY_EXPORT } from './routes.ts';
import { csvRows, postExport } from './test-helpers.ts';

const t = useTestApp();

describe('exports (direct downloads)', () => {
  it('a viewer or member cannot export at all, an accountant cannot export the audit log (403), and nothing is recorded', async () => {
    const { slug, orgId, people } = await buildOrg(t, { name: 'Export Org', roles: EVERY_ROLE });
    for (const [who, path] of [
      ['viewer', 'audit-log.csv'],
      ['viewer', 'invoices.csv'],
      ['member', 'vendors.csv'],
      ['accountant', 'audit-log.csv'],
      ['approver', 'audit-log.csv'],
    ] as const) {
      const res = await people[who].agent.get(`/o/${slug}/exports/${path}`);
      assert.equal(res.statusCode, 403, `${who} ${path}`);
      assert.doesNotMatch(String(res.headers['content-type']), /csv/);
    }
    assert.equal((await people.viewer.agent.get(`/o/${slug}/exports`)).statusCode, 403);
    const created = await t.owner.selectFrom('exports').select('id').where('org_id', '=', orgId).execute();
    assert.deepEqual(created, []);
    // An accountant may export invoices and vendors.
    assert.equal((await postExport(people.accountant.agent, `/o/${slug}/exports/vendors.csv`)).statusCode, 200);
  });

  it('a link to an export (a GET: a crawler, another site) shows what it will hold and makes nothing; a post without the CSRF token is refused', async () => {
    const { slug, orgId, owner } = await buildOrg(t, { name: 'Link Safe', roles: EVERY_ROLE });
    const v = await buildVendor(t, orgId);
    await buildInvoice(t, orgId, v.id, { number: 'L-1', status: 'submitted' });
    await buildInvoice(t, orgId, v.id, { number: 'L-2' });
    const page = await owner.agent.get(`/o/${slug}/exports/invoices.csv?status=submitted`);
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /1 row of invoices, with these filters: status: submitted/);
    assert.match(page.body, /Download the CSV/);
    for (const kind of ['vendors.csv', 'audit-log.csv'])
      assert.equal((await owner.agent.get(`/o/${slug}/exports/${kind}`)).statusCode, 200, kind);
    const forged = await owner.agent.post(`/o/${slug}/exports/invoices.csv`, { status: 'submitted' }, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.deepEqual(await t.owner.selectFrom('exports').select('id').where('org_id', '=', orgId).execute(), []);
    assert.deepEqual(await orgAudit(t, orgId, 'export.created'), []);
    const made = await postExport(owner.agent, `/o/${slug}/exports/invoices.csv?status=submitted`);
    assert.equal(made.statusCode, 200);
    assert.deepEqual(
      csvRows(made.body).map((r) => r.number),
      ['L-1'],
    );
  });

  it("a member of another org gets 404 for an export id it guessed, and for the org's export links", async () => {
    const victim = await buildOrg(t, { name: 'Victim Exports', roles: EVERY_ROLE });
    const attacker = await signUp(t.app);
    await postExport(victim.owner.agent, `/o/${victim.slug}/exports/vendors.csv`);
    const e = await t.owner
      .selectFrom('exports')
      .select('id')
      .where('org_id', '=', victim.orgId)
      .executeTakeFirstOrThrow();
    for (const url of [
      `/o/${attacker.slug}/exports/${e.id}/download`,
      `/o/${attacker.slug}/exports/${e.id}/row`,
      `/o/${victim.slug}/exports/${e.id}/download`,
      `/o/${victim.slug}/exports/vendors.csv`,
    ]) {
      assert.equal((await attacker.agent.get(url)).statusCode, 404, url);
    }
  });

  it('an invoice export with the queue filters has exactly the rows the queue shows under them', async () => {
    const { slug, orgId, owner, people } = await buildOrg(t, { name: 'Export Org', roles: EVERY_ROLE });
    const acme = await buildVendor(t, orgId, { name: 'Acme Rockets' });
    const globex = await buildVendor(t, orgId, { name: 'Globex' });
    const mk = (vendorId: string, number: string, over: Parameters<typeof buildInvoice>[3]) =>
      buildInvoice(t, orgId, vendorId, { number, submittedBy: people.member.id, ...over });
    await mk(acme.id, 'R-1', { status: 'submitted', amountMinor: 50_000, category: 'hardware', dueDate: '2026-12-10' });
    await mk(acme.id, 'R-2', { status: 'approved', amountMinor: 250_000, category: 'hardware', dueDate: '2026-12-20' });
    await mk(acme.id, 'R-3', { status: 'submitted', amountMinor: 70_000, category: 'software', dueDate: '2026-12-11' });
    await mk(globex.id, 'G-1', {
      status: 'submitted',
      amountMinor: 9_900,
      category: 'hardware',
      dueDate: '2027-01-05',
    });
    await mk(globex.id, 'G-2', { amountMinor: 100, category: 'software' });
    const numbersIn = async (qs: string) => {
      const res = await postExport(owner.agent, `/o/${slug}/exports/invoices.csv?${qs}`);
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      assert.match(
        String(res.headers['content-disposition']),
        /^attachment; filename="invoices-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      const exported = csvRows(res.body)
        .map((r) => r.number ?? '')
        .sort();
      // The same query string on the queue page lists the same invoices.
      const queue = await owner.agent.get(`/o/${slug}/invoices?${qs}`);
      assert.deepEqual(
        [...queue.body.matchAll(/class="strong-link">([^<]+)</g)].map((m) => m[1] ?? '').sort(),
        exported,
        qs,
      );
      return exported;
    };
    assert.deepEqual(await numbersIn(''), ['G-1', 'G-2', 'R-1', 'R-2', 'R-3']);
    assert.deepEqual(await numbersIn(`status=submitted&vendor=${acme.id}`), ['R-1', 'R-3']);
    assert.deepEqual(await numbersIn('category=hardware&min=90&max=600'), ['G-1', 'R-1']);
    assert.deepEqual(await numbersIn('due_from=2026-12-11&due_to=2026-12-31&sort=-amount'), ['R-2', 'R-3']);
    assert.deepEqual(await numbersIn('q=rockets&status=approved'), ['R-2']);
    // "Waiting for me" is the person's own: the owner may approve what the member submitted.
    assert.deepEqual(await numbersIn('mine=1'), ['G-1', 'R-1', 'R-3']);
    // The row has the amount in major units and the vendor.
    const res = await postExport(owner.agent, `/o/${slug}/exports/invoices.csv?status=approved`);
    const [row] = csvRows(res.body);
    assert.equal(row?.amount, '2500.00');
    assert.equal(row?.vendor, 'Acme Rockets');
    assert.equal(row?.currency, 'EUR');

    // The queue page's button posts the export with its filters (a GET of that address only shows what it holds).
    const queue = await owner.agent.get(`/o/${slug}/invoices?status=submitted&category=hardware`);
    const form = new RegExp(`<form method="post" action="/o/${slug}/exports/invoices\\.csv".*?</form>`, 's').exec(
      queue.body,
    )?.[0];
    assert.ok(form, 'the queue offers the export as a form');
    assert.match(form, /name="status" value="submitted"/);
    assert.match(form, /name="category" value="hardware"/);
    assert.doesNotMatch((await people.member.agent.get(`/o/${slug}/invoices`)).body, /exports\/invoices\.csv/);
  });

  it('a malformed filter is refused with a clear message, not exported unfiltered', async () => {
    const { slug, owner } = await buildOrg(t, { name: 'Export Org', roles: EVERY_ROLE });
    const url = `/o/${slug}/exports/invoices.csv?min=lots&due_from=2026-02-30`;
    const shown = await owner.agent.get(url);
    assert.equal(shown.statusCode, 400, 'the link to it');
    assert.match(shown.body, /min: Enter an amount like 1000/);
    const res = await postExport(owner.agent, url);
    assert.equal(res.statusCode, 422, 'the posted form');
    assert.match(res.body, /min: Enter an amount like 1000/);
    assert.match(res.body, /That date does not exist/);
  });

  it('a NUL character or an impossible value in a filter is refused (400, or 422 for the posted form) before anything is read, never 500', async () => {
    const { slug, orgId, owner } = await buildOrg(t, { name: 'Export Org', roles: EVERY_ROLE });
    for (const q of [
      'q=%00',
      'q=abc%00def',
      'vendor=not-an-id',
      'status=bogus',
      'category=%27%3B--',
      'min=1e999',
      'max=-5',
      'due_from=2026-13-01',
      'due_to=99999-01-01',
      'mine=yes',
      'status=approved&status=paid',
      `q=${'x'.repeat(101)}`,
    ]) {
      assert.equal((await owner.agent.get(`/o/${slug}/exports/invoices.csv?${q}`)).statusCode, 400, q);
      const res = await postExport(owner.agent, `/o/${slug}/exports/invoices.csv?${q}`);
      // A form with a bad value is 422; a NUL anywhere in a request is 400 before any route sees it.
      assert.equal(res.statusCode, q.includes('%00') ? 400 : 422, q);
      assert.doesNotMatch(String(res.headers['content-type']), /csv/, q);
    }
    const created = await t.owner.selectFrom('exports').select('id').where('org_id', '=', orgId).execute();
    assert.deepEqual(created, [], 'nothing was exported or recorded');
    // Empty filters are no filters, as on the queue page.
    assert.equal((await postExport(owner.agent, `/o/${slug}/exports/invoices.csv?status=&vendor=&q=`)).statusCode, 200);
  });

  it('an export id that is not an id is a page that does not exist (404)', async () => {
    const { slug, owner } = await buildOrg(t, { name: 'Export Org', roles: EVERY_ROLE });
    for (const suffix of ['row', 'download'])
      assert.equal((await owner.agent.get(`/o/${slug}/exports/not-an-id/${suffix}`)).statusCode, 404, suffix);
  });

  it('the exports page and its nav entry are for exactly the roles that may export something', () => {
    const mayExport: readonly Role[] = RULES[MAY_EXPORT].roles;
    for (const role of ROLES) assert.equal(mayExport.includes(role), canExportAnything({ role }), role);
  });

  it('cells a spreadsheet would run as a formula are neutralized; vendor payment details are masked', async () => {
    const { slug, orgId, owner } = await buildOrg(t, { name: 'Export Org', roles: EVERY_ROLE });
    const evil = await buildVendor(t, orgId, {
      name: '=HYPERLINK("http://evil.test","click")',
      iban: 'GB82WEST12345698765432',
    });
    await buildInvoice(t, orgId, evil.id, { number: '@SUM(A1)', description: '+cmd|/c calc' });
    await buildInvoice(t, orgId, evil.id, { number: 'TAB', description: '\t=1+1' });
    await buildInvoice(t, orgId, evil.id, { number: 'MINUS', description: '-2+3' });
    const inv = csvRows((await postExport(owner.agent, `/o/${slug}/exports/invoices.csv`)).body);
    const byNumber = new Map(inv.map((r) => [r.number, r]));
    assert.equal(byNumber.get("'@SUM(A1)")?.description, "'+cmd|/c calc");
    assert.equal(byNumber.get('TAB')?.description, "'\t=1+1");
    assert.equal(byNumber.get('MINUS')?.description, "'-2+3");
    for (const r of inv) assert.equal(r.vendor, `'=HYPERLINK("http://evil.test","click")`);
    const vendors = await postExport(owner.agent, `/o/${slug}/exports/vendors.csv`);
    assert.equal(vendors.statusCode, 200);
    const [v] = csvRows(vendors.body);
    assert.equal(v?.name, `'=HYPERLINK("http://evil.test","click")`);
    assert.equal(v?.payment_details, 'GB82 •••• •••• •••• 5432');
    assert.doesNotMatch(vendors.body, /GB82WEST12345698765432|12345698/);
  });

  it('every export is audited: who exported which data, with which filters', async () => {
    const { slug, orgId, owner, people } = await buildOrg(t, { name: 'Export Org', roles: EVERY_ROLE });
    const v = await buildVendor(t, orgId);
    await buildInvoice(t, orgId, v.id, { status: 'submitted', submittedBy: people.member.id });
    await postExport(owner.agent, `/o/${slug}/exports/invoices.csv?status=submitted`);
    await postExport(people.accountant.agent, `/o/${slug}/exports/vendors.csv`);
    await postExport(people.admin.agent, `/o/${slug}/exports/audit-log.csv`);
    const entries = await orgAudit(t, orgId, 'export.created');
    assert.deepEqual(
      entries.map((e) => [e.actor_user_id, (e.changes as { kind: string }).kind]),
      [
        [owner.id, 'invoices'],
        [people.accountant.id, 'vendors'],
        [people.admin.id, 'audit_log'],
      ],
    );
    assert.deepEqual(entries[0]?.changes, {
      kind: 'invoices',
      filters: { status: 'submitted' },
      rows: 1,
      delivery: 'download',
    });
    const rows = await t.owner
      .selectFrom('exports')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('created_at')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.kind, r.status, r.created_by]),
      [
        ['invoices', 'streamed', owner.id],
        ['vendors', 'streamed', people.accountant.id],
        ['audit_log', 'streamed', people.admin.id],
      ],
    );
    // The audit log export holds the org's entries, the export's own included.
    const audit = csvRows((await postExport(owner.agent, `/o/${slug}/exports/audit-log.csv`)).body);
    assert.ok(audit.some((r) => r.action === 'export.created' && r.actor_email === people.accountant.email));
    // The exports page lists them with who made them.
    const page = await owner.agent.get(`/o/${slug}/exports`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Downloaded at once/);
  });

  it('reads rows in keyset batches: every row once, in id order, across batch boundaries', async () => {
    const { orgId, owner } = await buildOrg(t, { name: 'Export Org', roles: EVERY_ROLE });
    const v = await buildVendor(t, orgId);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await buildInvoice(t, orgId, v.id)).id);
    const seen: string[] = [];
    const batches: number[] = [];
    for await (const row of exportRows(
      t.db,
      { orgId, userId: owner.id, kind: 'invoices', filters: {} },
      { batchSize: 2, onBatch: async (n) => void batches.push(n) },
    ))
      seen.push(String(row[0]));
    assert.deepEqual(seen, [...ids].sort());
    assert.deepEqual(batches, [2, 2, 1]);
  });
});
