// Where uploaded import files live: <UPLOAD_DIR>/imports/<org id>/<random uuid>.csv,
// outside the web root. The worker reads them from there (configured at start).
import { randomUUID } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';

let uploadDir: string | null = null;

export function configureImportFiles(dir: string): void {
  uploadDir = dir;
}

function root(): string {
  if (!uploadDir)
    throw new Error('import files are not configured: call configureImportFiles(settings.uploadDir) at start');
  return path.join(uploadDir, 'imports');
}

/** Keys are written by keepImportFile() only; anything else never reaches the file system. */
export function importFilePath(key: string): string {
  if (!/^[0-9a-f-]{36}\/[0-9a-f-]{36}\.csv$/.test(key)) throw new Error(`not an import file key: ${key}`);
  return path.join(root(), key);
}

export function tmpDir(): string {
  return path.join(root(), 'tmp');
}

export async function keepImportFile(orgId: string, tmpPath: string): Promise<string> {
  const key = `${orgId}/${randomUUID()}.csv`;
  await mkdir(path.join(root(), orgId), { recursive: true });
  await rename(tmpPath, importFilePath(key));
  return key;
}
