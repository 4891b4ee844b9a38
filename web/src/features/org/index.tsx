import { lazyPage } from '../../app/lazyPage';
import type { Feature, FeatureRoute } from '../../app/feature';
import { messages } from './messages';

const Units = lazyPage(() => import('./Units'));
const Users = lazyPage(() => import('./Users'));
const Approvals = lazyPage(() => import('./Approvals'));

const routes: FeatureRoute[] = [
  { path: '/admin/units', element: <Units />, menu: { label: 'menu.units', roles: ['administrator'], order: 120 } },
  { path: '/admin/users', element: <Users />, menu: { label: 'menu.users', roles: ['administrator', 'security_officer'], order: 130 } },
  { path: '/approvals', element: <Approvals />, menu: { label: 'menu.approvals', roles: ['administrator', 'security_officer', 'leader'], order: 140 } },
];

export default { messages, routes } satisfies Feature;
