// Test support for creating and editing draft invoices: an app with its own upload folder, the
// invoice form as a browser posts it (multipart, with an optional PDF), and what was kept.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOrg, buildVendor } from '../../testing/factories.ts';
import { eventually, useTestApp, type Agent } from '../../testing/harness.ts';
import { postMultipart } from '../../testing/multipart.ts';

export const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n'),
  randomBytes(2048),
  Buffer.from('\n%%EOF\n'),
]);

type File = { name: string; content: Buffer; type?: string };

/** The app on an upload folder of its own, and the reads and posts the editing tests share. */
export function useEditingApp() {
  const uploadDir = mkdtempSync(path.join(tmpdir(), 'lw-uploads-'));
  const t = useTestApp({ UPLOAD_DIR: uploadDir });
  const invoicesOf = (orgId: string) =>
    t.owner.selectFrom('invoices').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute();
  /** The files kept for an org (the temporary folder is checked apart). */
  const keptFiles = (orgId: string): string[] => {
    const dir = path.join(uploadDir, orgId);
    return existsSync(dir) ? readdirSync(dir) : [];
  };
  const tmpIsEmpty = async () => {
    const dir = path.join(uploadDir, 'tmp');
    await eventually(async () => !existsSync(dir) || readdirSync(dir).length === 0, 5000, 'temporary uploads removed');
  };
  return {
    t,
    uploadDir,
    invoicesOf,
    keptFiles,
    tmpIsEmpty,
    /** A refused form left nothing behind: no invoice, no kept file, and the temporary upload gone. */
    nothingWritten: async (orgId: string) => {
      assert.deepEqual(await invoicesOf(orgId), []);
      assert.deepEqual(keptFiles(orgId), []);
      await tmpIsEmpty();
    },
    /** An org (Invoice Team) with a vendor, its owner on the new-invoice form. */
    ownerOnNewInvoice: async () => {
      const o = await buildOrg(t, { name: 'Invoice Team' });
      const v = await buildVendor(t, o.orgId);
      await o.owner.agent.get(`/o/${o.slug}/invoices/new`);
      return { o, v };
    },
  };
}

/** Posts the invoice form as multipart/form-data, the way the invoice form's browser does. */
export function postInvoiceForm(
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file?: File,
  opts: { csrf?: boolean; submission?: string } = {},
) {
  return postMultipart(
    agent,
    url,
    fields,
    file && { field: 'attachment', name: file.name, content: file.content, type: file.type ?? 'application/pdf' },
    opts,
  );
}

export function form(vendorId: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    vendor_id: vendorId,
    number: 'INV-1',
    issue_date: '2026-11-01',
    due_date: '2026-11-30',
    amount: '1,234.50',
    currency: '',
    description: 'Licences for November',
    category: 'software',
    ...over,
  };
}
