// Where export files live and how an export's rows are read: keyset batches, each in its own
// short transaction in the org, so memory and locks stay flat however many rows there are.
import path from 'node:path';
import type { CsvCell } from '../../core/csv.ts';
import type { Db } from '../../core/db/pool.ts';
import type { ExportKind } from './kinds.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import type { ExportFilters } from './filters.ts';
import { SOURCES } from './sources.ts';

export const BATCH_SIZE = 5_000;
/** How long a built file can be downloaded; housekeeping deletes it after that. */
export const VALID_HOURS = 24;

/** Files sit under UPLOAD_DIR/exports/<org>/<export>.csv: outside the web root, one folder per org. */
export function fileKeyFor(orgId: string, exportId: string): string {
  return `exports/${orgId}/${exportId}.csv`;
}

export function filePath(uploadDir: string, fileKey: string): string {
  return path.resolve(uploadDir, fileKey);
}

export async function* exportRows(
  db: Db,
  e: { orgId: string; userId: string | null; kind: ExportKind; filters: ExportFilters },
  opts: { batchSize?: number; onBatch?: (rows: number) => Promise<void> } = {},
): AsyncGenerator<CsvCell[]> {
  const source = SOURCES[e.kind];
  const limit = opts.batchSize ?? BATCH_SIZE;
  let afterId: string | undefined;
  for (;;) {
    const batch = await withOrg(db, e.orgId, e.userId, (tx) =>
      source.batch(tx, e.orgId, e.filters, e.userId, { afterId, limit }),
    );
    yield* batch.rows;
    await opts.onBatch?.(batch.rows.length);
    if (batch.rows.length < limit || !batch.last) return;
    afterId = batch.last;
  }
}

export function downloadName(kind: ExportKind, at: Date): string {
  return `${SOURCES[kind].filename}-${at.toISOString().slice(0, 10)}.csv`;
}
