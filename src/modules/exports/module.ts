import { defineModule } from '../../core/module.ts';
import { exportsList } from './admin.tsx';
import { EXPORT_AUDIT } from './audit.ts';
import { cleanup } from '../../core/tasks/housekeeping.ts';
import { RULES } from './policy.ts';
import { exportRoutes, MAY_EXPORT } from './routes.ts';
import { deleteExpiredExports } from './service.ts';
import { buildExport } from './tasks.ts';
import { exportPaths } from './paths.ts';

/** CSV exports of invoices, vendors and the audit log; large ones are built in the background and expire. */
export const exportsModule = defineModule({
  name: 'exports',
  admin: [exportsList],
  auditActions: [EXPORT_AUDIT],
  policy: RULES,
  routes: exportRoutes,
  tasks: [buildExport],
  cleanups: [
    cleanup({
      name: 'exports.delete_expired',
      label: 'Delete expired export files',
      cron: '25 3 * * *',
      remove: (db, _now, { settings }) => deleteExpiredExports(db, settings.uploadDir),
    }),
  ],
  nav: [{ label: 'Exports', path: (slug) => exportPaths.list(slug), order: 85, action: MAY_EXPORT, more: true }],
});
