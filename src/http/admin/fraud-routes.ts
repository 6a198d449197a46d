import type { Domain } from '../../domain/domain.js';
import type { AdminRouteModule } from './route-module.js';

export const fraudAdminRoutes = (_domain: Domain): AdminRouteModule => ({
  tag: { name: 'Fraud cases', description: 'Fraud cases' },
  register() {},
});
