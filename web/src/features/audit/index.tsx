import { lazyPage } from '../../app/lazyPage';
import type { Feature, FeatureRoute } from '../../app/feature';
import { messages } from './messages';

const Audit = lazyPage(() => import('./Audit'));

const routes: FeatureRoute[] = [
  { path: '/security/audit', element: <Audit />, menu: { label: 'menu.audit', roles: ['security_officer'], order: 150 } },
];

export default { messages, routes } satisfies Feature;
