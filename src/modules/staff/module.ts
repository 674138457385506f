import { defineModule } from '../../core/module.ts';
import { STAFF_AUDIT } from './audit.ts';
import { impersonateRoutes } from './impersonate-routes.ts';
import { staffRoutes } from './routes.ts';
import { userRoutes } from './user-routes.ts';

/**
 * The back-office's door and home: staff roles, the stronger staff sign-in (gate.tsx), the
 * staff team. Every /staff route passes the staff scope's gate (registered in server.ts).
 */
export const staffModule = defineModule({
  name: 'staff',
  auditActions: [STAFF_AUDIT],
  routes: [...staffRoutes, ...impersonateRoutes, ...userRoutes],
});
