import { defineModule } from '../../core/module.ts';
import { staffRoutes } from './routes.ts';

/**
 * The back-office's door and home: staff roles, the stronger staff sign-in (gate.tsx), the
 * staff team. Every /staff route passes the staff scope's gate (registered in server.ts).
 */
export const staffModule = defineModule({
  name: 'staff',
  routes: staffRoutes,
});
