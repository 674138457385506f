// The access matrix's walk (src/access-matrix.test.ts): records of every kind a route names, a
// request of any route as any agent with those records' ids in its path, query and body, and the
// state of an org that no refused request may change.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../core/roles.ts';
import type { Example } from '../core/http/routes.ts';
import type { RouteEntry } from '../core/http/types.ts';
import { CATALOG } from '../server.ts';
import type { Records } from './access-matrix.ts';
import { buildInvoice, buildVendor } from './factories.ts';
import type { Agent, TestApp } from './harness.ts';
import { postMultipart } from './multipart.ts';

export const isOrgRoute = (r: RouteEntry) => r.url === '/o/:org' || r.url.startsWith('/o/:org/');
export const keyOf = (r: RouteEntry) => `${r.method} ${r.url}`;

export function declared(r: RouteEntry): Example | undefined {
  return CATALOG.routes.find((d) => d.route.method === r.method && d.route.url === r.url)?.route.example;
}

export function allows(access: string, role: Role): boolean {
  return CATALOG.accessRules.get(access)?.includes(role) ?? false;
}

export function assertSentToSignIn(res: LightMyRequestResponse, what: string) {
  if (what.startsWith('GET'))
    assert.match(String(res.headers.location), /^\/login\?next=/, `${what}: ${res.statusCode}`);
  else assert.equal(res.statusCode, 401, what);
}

/** What of an org must never show in an answer to someone outside it. */
export function secretsOf(orgName: string, records: Records): string[] {
  return [
    orgName,
    records.vendorName!,
    records.invoiceNumber!,
    records.payoutReference!,
    records.importFileName!,
    records.userId!,
    records.invitationId!,
    records.invitationEmail!,
  ];
}

/** `:name` in a path or an example value, replaced by the record of that name. */
function fill(text: string, records: Records, org: string): string {
  return text.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (name === 'org') return org;
    if (name === 'email') return `someone.${randomBytes(3).toString('hex')}@example.test`;
    const v = records[name];
    assert.ok(v, `no record for :${name} in "${text}": add one to makeRecords() in src/testing/access-walk.ts`);
    return v;
  });
}

function fillAll(values: Record<string, string> | undefined, records: Records, org: string) {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, fill(v, records, org)]));
}

/** The walk over one test app; it counts the requests it makes. */
export function accessWalk(t: TestApp) {
  let requests = 0;

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
    const invoice = await buildInvoice(t, orgId, vendor.id, {
      status: 'submitted',
      createdBy: person.id,
      attachmentKey,
    });
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
    // The month the routes name (`:month`, `:reportMonth`), built once per org.
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
      .onConflict((oc) => oc.doNothing())
      .execute();
    const grant = await t.owner
      .insertInto('support_access_grants')
      .values({ org_id: orgId, id: randomUUID(), granted_by: createdBy, expires_at: new Date(Date.now() + 86400_000) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const message = await t.owner
      .insertInto('mail_outbox')
      .values({
        dedupe_key: `walk:${tag}`,
        to_address: `target.${tag}@example.test`,
        subject: 'A message that failed',
        text_body: 'x',
        status: 'failed',
        error: 'mailbox full',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      userId: person.id,
      messageId: message.id,
      grantId: grant.id,
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
      reportMonth: '2026-10-01',
      id: '00000000-0000-4000-8000-000000000000',
      token: randomBytes(32).toString('base64url'),
      name: 'app.css',
    };
  }

  /** Requests a route as `agent`, with the records' ids in the path, the query and the body. */
  function request(agent: Agent, r: RouteEntry, records: Records, org: string): Promise<LightMyRequestResponse> {
    requests += 1;
    const example = declared(r);
    const query = new URLSearchParams(fillAll(example?.query, records, org)).toString();
    const url = fill(r.url, records, org) + (query ? `?${query}` : '');
    if (r.method === 'GET') return agent.get(url);
    const body = fillAll(example?.body, records, org);
    const file = example?.multipart;
    if (file)
      return postMultipart(agent, url, body, {
        field: file.field,
        name: file.filename,
        type: file.contentType,
        content: file.content,
      });
    return agent.post(url, body);
  }

  return { makeRecords, request, orgState: (orgId: string) => orgState(t, orgId), requests: () => requests };
}

/** Everything of an org that a leak or a forbidden write would change. */
async function orgState(t: TestApp, id: string) {
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
