import { z } from 'zod';
import { uuid } from '../../core/schemas.ts';
import { defineTask } from '../../core/tasks/tasks.ts';
import { buildExportFile } from './build-export.ts';

/** Writes a large export to its file, with progress the exports page shows. */
export const buildExport = defineTask({
  name: 'exports.build',
  label: 'Build an export file',
  input: z.object({ exportId: uuid() }),
  maxAttempts: 3,
  run: async ({ exportId }, ctx) => {
    if (!ctx.orgId) throw new Error('an export is built in its org');
    return buildExportFile(ctx.db, ctx.settings.uploadDir, ctx.orgId, exportId, ctx.progress);
  },
});
