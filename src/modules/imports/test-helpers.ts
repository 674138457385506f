// Test support for imports: the org the import tests share, multipart uploads, waiting for a status.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ImportStatus } from './statuses.ts';
import { buildOrg, buildVendor, type BuiltOrg } from '../../testing/factories.ts';
import { eventually, useTestApp, type Agent, type TestApp } from '../../testing/harness.ts';
import { postMultipart as postForm } from '../../testing/multipart.ts';

/** Posts the upload form as multipart/form-data, the way a browser does. */
export function postMultipart(
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file?: { name: string; content: Buffer },
) {
  return postForm(agent, url, fields, file && { ...file, field: 'file', type: 'text/csv' });
}

/** Uploads a file through the form; returns the new import's id. */
export async function upload(
  agent: Agent,
  slug: string,
  content: string | Buffer,
  opts: { kind?: string; name?: string; encoding?: string; delimiter?: string } = {},
): Promise<string> {
  await agent.get(`/o/${slug}/imports`);
  const res = await postMultipart(
    agent,
    `/o/${slug}/imports`,
    { kind: opts.kind ?? 'invoices', encoding: opts.encoding ?? 'auto', delimiter: opts.delimiter ?? 'auto' },
    { name: opts.name ?? 'invoices.csv', content: typeof content === 'string' ? Buffer.from(content) : content },
  );
  if (res.statusCode !== 303) throw new Error(`upload answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  return String(res.headers.location).split('/').pop()!;
}

export async function importRow(t: TestApp, orgId: string, id: string) {
  return t.owner
    .selectFrom('imports')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function waitForStatus(t: TestApp, orgId: string, id: string, statuses: ImportStatus[], ms = 20_000) {
  return eventually(
    async () => {
      const r = await importRow(t, orgId, id);
      return statuses.includes(r.status) ? r : null;
    },
    ms,
    `import ${id} to be ${statuses.join(' or ')}`,
  );
}

/**
 * The app with its own upload folder, a worker, and an org with a vendor (owner, viewer, member,
 * approver, accountant) made by `setUp` (the describe's `before`: node 20 runs top-level hooks at the
 * same time, so it cannot be one beside the app's); and the reads the import tests share.
 */
export function useImportTeam() {
  const uploadDir = mkdtempSync(path.join(tmpdir(), 'lw-imports-'));
  const t = useTestApp({ UPLOAD_DIR: uploadDir });
  const team = {} as { o: BuiltOrg<'viewer' | 'member' | 'approver' | 'accountant'>; taxId: string; vendorId: string };
  const setUp = async () => {
    const o = await buildOrg(t, { name: 'Import Team', roles: ['viewer', 'member', 'approver', 'accountant'] });
    const v = await buildVendor(t, o.orgId, { name: 'Acme Supplies' });
    Object.assign(team, { o, taxId: v.tax_id, vendorId: v.id });
    await t.startWorker();
  };
  return {
    t,
    setUp,
    uploadDir,
    team,
    invoices: (orgId: string) =>
      t.owner.selectFrom('invoices').selectAll().where('org_id', '=', orgId).orderBy('number').execute(),
    importCount: async (): Promise<number> =>
      (await t.owner.selectFrom('imports').select('id').where('org_id', '=', team.o.orgId).execute()).length,
    rejections: (orgId: string, importId: string) =>
      t.owner
        .selectFrom('import_rejections')
        .select(['line', 'reason'])
        .where('org_id', '=', orgId)
        .where('import_id', '=', importId)
        .orderBy('line')
        .execute(),
    /** Uploads as the owner and waits for the check to finish. */
    checked: async (content: string | Buffer, opts: Parameters<typeof upload>[3] = {}) => {
      const id = await upload(team.o.owner.agent, team.o.slug, content, opts);
      return { id, row: await waitForStatus(t, team.o.orgId, id, ['checked', 'failed']) };
    },
    apply: async (id: string, mode: 'valid_rows' | 'all_or_nothing') => {
      await team.o.owner.agent.get(`/o/${team.o.slug}/imports/${id}`);
      return team.o.owner.agent.post(`/o/${team.o.slug}/imports/${id}/apply`, { mode });
    },
  };
}

export const HEADER = 'vendor_tax_id,number,issue_date,due_date,amount,currency,category,description';
