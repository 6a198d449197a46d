import type { Domain } from '../../domain/domain.js';
import type { AdminRouteModule } from './route-module.js';

export const linksAdminRoutes = (_domain: Domain): AdminRouteModule => ({
  tag: { name: 'Relative links', description: 'Relative links' },
  register() {},
});
