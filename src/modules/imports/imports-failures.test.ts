import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { orgAudit } from '../../testing/factories.ts';
import { eventually } from '../../testing/harness.ts';
import { importFilePath } from './files.ts';
import { HEADER, importRow, postMultipart, upload, useImportTeam, waitForStatus } from './test-helpers.ts';

const { t, setUp, uploadDir, team, invoices, importCount } = useImportTeam();

describe('CSV imports: failed checks, lost files and broken uploads', () => {
  before(setUp);

  it('a check that failed for good shows its error and a "Try again" button that runs it again; a viewer may not', async () => {
    const { o, taxId } = team;
    const csv = `${HEADER}\n${taxId},RETRY-1,2026-11-01,2026-12-01,10.00,EUR,software,\n`;
    const id = await upload(o.owner.agent, o.slug, csv);
    await waitForStatus(t, o.orgId, id, ['checked']);
    // The import as the check task leaves it after its last attempt threw (tasks.ts: lastAttemptFails).
    await t.owner
      .updateTable('imports')
      .set({
        status: 'failed',
        error: 'Connection terminated unexpectedly',
        failed_stage: 'check',
        valid_rows: 0,
        total_rows: 0,
      })
      .where('id', '=', id)
      .execute();
    const partial = await o.owner.agent.get(`/o/${o.slug}/imports/${id}/progress`);
    assert.match(partial.body, /Connection terminated unexpectedly/);
    assert.match(partial.body, /Try again/);
    assert.ok(!partial.body.includes('hx-trigger'), 'a failed import does not poll');
    const viewer = o.people.viewer;
    await viewer.agent.get(`/o/${o.slug}`);
    assert.equal((await viewer.agent.post(`/o/${o.slug}/imports/${id}/retry`, {})).statusCode, 403);
    await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
    assert.equal((await o.owner.agent.post(`/o/${o.slug}/imports/${id}/retry`, {})).statusCode, 303);
    const again = await waitForStatus(t, o.orgId, id, ['checked', 'failed']);
    assert.equal(again.status, 'checked', again.error ?? '');
    assert.deepEqual([again.valid_rows, again.error, again.failed_stage], [1, null, null]);
    await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
    await o.owner.agent.post(`/o/${o.slug}/imports/${id}/retry`, {});
    assert.match(
      (await o.owner.agent.get(`/o/${o.slug}/imports/${id}`)).body,
      /Only a failed import can be tried again/,
    );
  });

  it('an uploaded file gone from the disk fails the check with a message, no retry loop', async () => {
    const { o, taxId } = team;
    const id = await upload(
      o.owner.agent,
      o.slug,
      `${HEADER}\n${taxId},GONE-1,2026-11-01,2026-12-01,10.00,EUR,software,\n`,
    );
    const first = await waitForStatus(t, o.orgId, id, ['checked']);
    rmSync(importFilePath(t.settings.uploadDir, first.file_key));
    await t.owner
      .updateTable('imports')
      .set({ status: 'failed', error: 'x', failed_stage: 'check' })
      .where('id', '=', id)
      .execute();
    await o.owner.agent.get(`/o/${o.slug}/imports/${id}`);
    await o.owner.agent.post(`/o/${o.slug}/imports/${id}/retry`, {});
    const settled = await eventually(async () => {
      const r = await importRow(t, o.orgId, id);
      return r.status === 'failed' && r.error !== 'x' ? r : null;
    });
    assert.match(settled.error ?? '', /no longer on the server/);
    assert.equal(settled.failed_stage, null, 'a new upload fixes it; "Try again" is not offered');
    const failed = (await orgAudit(t, o.orgId, 'import.failed')).filter((a) => a.target_id === id);
    assert.equal(failed.length, 1, 'the failure is in the audit log');
    assert.match(JSON.stringify(failed[0]!.changes), /no longer on the server/);
  });

  it('a run that failed for good shows the import as failed (never spinning), even when nothing updated the import', async () => {
    const { o, taxId } = team;
    const csv = `${HEADER}\n${taxId},STUCK-1,2026-11-01,2026-12-01,10.00,EUR,software,\n`;
    const id = await upload(o.owner.agent, o.slug, csv);
    const row = await waitForStatus(t, o.orgId, id, ['checked']);
    await t.owner.updateTable('imports').set({ status: 'checking' }).where('id', '=', id).execute();
    await t.owner
      .updateTable('task_runs')
      .set({ status: 'failed', error: 'worker lost' })
      .where('id', '=', row.check_run_id!)
      .execute();
    const partial = await o.owner.agent.get(`/o/${o.slug}/imports/${id}/progress`);
    assert.match(partial.body, /badge-red">Failed</);
    assert.match(partial.body, /worker lost/);
    assert.ok(!partial.body.includes('hx-trigger'));
  });

  it('a progress partial polls with htmx while the check runs', async () => {
    const { o, taxId } = team;
    const id = await upload(
      o.owner.agent,
      o.slug,
      `${HEADER}\n${taxId},POLL-1,2026-11-01,2026-12-01,10.00,EUR,software,\n`,
    );
    await waitForStatus(t, o.orgId, id, ['checked']);
    await t.owner.updateTable('imports').set({ status: 'checking' }).where('id', '=', id).execute();
    const partial = await o.owner.agent.get(`/o/${o.slug}/imports/${id}/progress`);
    assert.match(partial.body, /hx-get="\/o\/[^"]+\/imports\/[^"]+\/progress"/);
    assert.match(partial.body, /hx-trigger="every 1s"/);
    assert.match(partial.body, /hx-swap="outerHTML"/);
    assert.ok(!partial.body.includes('<html'), 'a partial, not a page');
  });

  it('a multipart body without a boundary, or cut off mid-part, is refused (400) with a clear message; nothing is stored', async () => {
    const { o, taxId } = team;
    const url = `/o/${o.slug}/imports`;
    const before = await importCount();
    await o.owner.agent.get(url);
    const boundary = '----lwtruncated';
    const cut = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${o.owner.agent.csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ninvoices\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\nContent-Type: text/csv\r\n\r\n` +
        `${HEADER}\n${taxId},CUT-1,2026-01-01,2026-02-01,10.00,EUR,other,half a ro`,
    );
    for (const [what, contentType, payload] of [
      ['no boundary', 'multipart/form-data', cut],
      ['cut off mid-part', `multipart/form-data; boundary=${boundary}`, cut],
    ] as const) {
      const res = await o.owner.agent.request({
        method: 'POST',
        url,
        payload,
        headers: { 'content-type': contentType },
      });
      assert.equal(res.statusCode, 400, what);
      assert.match(res.body, /The upload could not be read/, what);
    }
    assert.equal(await importCount(), before, 'no import row');
    assert.equal((await invoices(o.orgId)).filter((i) => i.number === 'CUT-1').length, 0);
    // The part written before the body broke off goes with the response.
    const tmp = path.join(uploadDir, 'imports', 'tmp');
    await eventually(
      async () => !existsSync(tmp) || readdirSync(tmp).every((f) => !f.endsWith('.part')),
      5000,
      'no .part left',
    );
  });

  it('a NUL character in an upload form field is refused (400) and nothing is stored', async () => {
    const { o } = team;
    const before = await importCount();
    await o.owner.agent.get(`/o/${o.slug}/imports`);
    const res = await postMultipart(
      o.owner.agent,
      `/o/${o.slug}/imports`,
      { kind: 'invoices\u0000', encoding: 'auto', delimiter: 'auto' },
      { name: 'nul.csv', content: Buffer.from(`${HEADER}\n`) },
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /NUL character/);
    assert.equal(await importCount(), before);
  });
});
