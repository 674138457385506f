// Where uploaded import files live: <UPLOAD_DIR>/imports/<org id>/<random uuid>.csv,
// outside the web root. The worker reads them from there; UPLOAD_DIR is passed in by the caller.
import { randomUUID } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';

function root(uploadDir: string): string {
  return path.join(uploadDir, 'imports');
}

/** Keys are written by keepImportFile() only; anything else never reaches the file system. */
export function importFilePath(uploadDir: string, key: string): string {
  if (!/^[0-9a-f-]{36}\/[0-9a-f-]{36}\.csv$/.test(key)) throw new Error(`not an import file key: ${key}`);
  return path.join(root(uploadDir), key);
}

export function tmpDir(uploadDir: string): string {
  return path.join(root(uploadDir), 'tmp');
}

export async function keepImportFile(uploadDir: string, orgId: string, tmpPath: string): Promise<string> {
  const key = `${orgId}/${randomUUID()}.csv`;
  await mkdir(path.join(root(uploadDir), orgId), { recursive: true });
  await rename(tmpPath, importFilePath(uploadDir, key));
  return key;
}
