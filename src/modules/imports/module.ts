import { defineModule } from '../../core/module.ts';
import { importsList } from './admin.tsx';
import { IMPORT_AUDIT } from './audit.ts';
import { RULES } from './policy.ts';
import { importRoutes } from './routes.ts';
import { applyImport, checkImport } from './tasks.ts';
import { importPaths } from './paths.ts';

/** CSV imports of vendors and invoices, checked and applied in the background. */
export const importsModule = defineModule({
  name: 'imports',
  admin: [importsList],
  auditActions: [IMPORT_AUDIT],
  policy: RULES,
  routes: importRoutes,
  tasks: [checkImport, applyImport],
  nav: [{ label: 'Import', path: (slug) => importPaths.list(slug), order: 60, action: 'import.run', more: true }],
});
