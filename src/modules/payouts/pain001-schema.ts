// Test support: a payment file is checked against the ISO 20022 schema itself (fixtures/README.md says
// where the XSD comes from), by xmllint from Debian's libxml2-utils, so a file the bank would refuse fails a test.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PAIN_001_XSD = fileURLToPath(new URL('./fixtures/pain.001.001.03.xsd', import.meta.url));

/** xmllint's verdict on `xml` against the pain.001.001.03 schema: `null` when valid, else its messages. */
export async function pain001Errors(xml: string): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'pain001-'));
  const file = join(dir, 'payment.xml');
  try {
    await writeFile(file, xml, 'utf8');
    await run('xmllint', ['--noout', '--schema', PAIN_001_XSD, file]);
    return null;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('xmllint is missing: install Debian’s libxml2-utils', { cause: err });
    return e.stderr?.trim() || String(err);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Fails with xmllint's own message when `xml` is not a valid pain.001.001.03 document. */
export async function assertValidPain001(xml: string): Promise<void> {
  const errors = await pain001Errors(xml);
  assert.equal(errors, null, `the payment file does not validate against pain.001.001.03.xsd:\n${errors}`);
}
