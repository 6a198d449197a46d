import type { Domain } from '../../domain/domain.js';
import type { AdminRouteModule } from './route-module.js';

export const requestsAdminRoutes = (_domain: Domain): AdminRouteModule => ({
  tag: { name: 'Payment-method requests', description: 'Payment-method requests' },
  register() {},
});
