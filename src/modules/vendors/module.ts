import { defineModule } from '../../core/module.ts';
import { vendorsList } from './admin.tsx';
import { VENDOR_AUDIT } from './audit.ts';
import { RULES } from './policy.ts';
import { vendorRoutes } from './routes.ts';
import { vendorPaths } from './paths.ts';

/** Vendors: who the org pays, with their payment details. */
export const vendorsModule = defineModule({
  name: 'vendors',
  auditActions: [VENDOR_AUDIT],
  policy: RULES,
  admin: [vendorsList],
  routes: vendorRoutes,
  nav: [{ label: 'Vendors', path: (slug) => vendorPaths.list(slug), order: 20, action: 'vendor.view' }],
});
