// Rows whose jsonb a reader cannot take as written (put there by hand in SQL, or by another
// version): the export refuses clearly rather than widening, and the audit log still exports.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildInvoice, buildOrg, buildVendor } from '../../testing/factories.ts';
import { buildExportFile } from './build-export.ts';
import { UnreadableFiltersError } from './filters.ts';
import { csvRows, postExport } from './test-helpers.ts';

const t = useTestApp();

async function queuedExport(orgId: string, createdBy: string, filters: string): Promise<string> {
  const e = await t.owner
    .insertInto('exports')
    .values({ org_id: orgId, kind: 'invoices', filters, status: 'queued', created_by: createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return e.id;
}

describe('stored JSON read back', () => {
  it('an export whose stored filters are not an object, or not ones the queue reads, fails its build with a clear message; the exports page still lists it', async () => {
    const { slug, orgId, owner } = await buildOrg(t, { name: 'Export Org' });
    const v = await buildVendor(t, orgId);
    await buildInvoice(t, orgId, v.id, { status: 'draft' });
    const build = (id: string) => buildExportFile(t.db, t.settings.uploadDir, orgId, id, async () => undefined);
    for (const [filters, detail] of [
      ['[1, 2]', /not a JSON object/],
      ['{"status": "bogus"}', /status/],
    ] as const) {
      const id = await queuedExport(orgId, owner.id, filters);
      await assert.rejects(build(id), (err: unknown) => {
        assert.ok(err instanceof UnreadableFiltersError);
        assert.match(err.message, /stored filters cannot be read/);
        assert.match(err.message, detail);
        return true;
      });
      const e = await t.owner
        .selectFrom('exports')
        .select(['status', 'file_key'])
        .where('id', '=', id)
        .executeTakeFirst();
      assert.deepEqual(e, { status: 'queued', file_key: null }, 'no file was built with other rows');
    }
    const page = await owner.agent.get(`/o/${slug}/exports`);
    assert.equal(page.statusCode, 200);
  });

  it('an audit entry whose changes are not an object still exports, its stored value kept under "unreadable"', async () => {
    const { slug, orgId, owner } = await buildOrg(t, { name: 'Audit Org' });
    await t.owner
      .insertInto('audit_log')
      .values({ org_id: orgId, action: 'legacy.entry', changes: '["from", "an", "older", "version"]' })
      .execute();
    const res = await postExport(owner.agent, `/o/${slug}/exports/audit-log.csv`);
    assert.equal(res.statusCode, 200);
    const legacy = csvRows(res.body).find((r) => r.action === 'legacy.entry');
    assert.equal(legacy?.changes, '{"unreadable":["from","an","older","version"]}');
  });
});
