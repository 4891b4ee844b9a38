import { lazyPage } from '../../app/lazyPage';
import type { Feature, FeatureRoute } from '../../app/feature';
import { messages } from './messages';

const Directory = lazyPage(() => import('./Directory'));
const Outbox = lazyPage(() => import('./Outbox'));
const Quarantine = lazyPage(() => import('./Quarantine'));

const routes: FeatureRoute[] = [
  { path: '/security/quarantine', element: <Quarantine />, menu: { label: 'menu.quarantine', roles: ['security_officer'], order: 160 } },
  { path: '/exchange', element: <Directory />, menu: { label: 'menu.exchange', roles: ['administrator'], order: 180 } },
  { path: '/exchange/outbox', element: <Outbox />, menu: { label: 'menu.outbox', roles: ['clerk', 'administrator', 'security_officer'], order: 190 } },
];

export default { messages, routes } satisfies Feature;
