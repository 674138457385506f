import { defineModule } from '../../core/module.ts';
import { dashboardRoutes } from './routes.ts';
import { orgPaths } from '../orgs/service.ts';

/** The org's home page (its rules are the orgs and invoices policies'). */
export const dashboardModule = defineModule({
  name: 'dashboard',
  routes: dashboardRoutes,
  nav: [{ label: 'Dashboard', path: (slug) => orgPaths.home(slug), order: 0, action: 'org.view' }],
});
