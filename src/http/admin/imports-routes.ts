import type { Domain } from '../../domain/domain.js';
import type { AdminRouteModule } from './route-module.js';

export const importsAdminRoutes = (_domain: Domain): AdminRouteModule => ({
  tag: { name: 'Imports', description: 'Imports' },
  register() {},
});
