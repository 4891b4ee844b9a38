import { lazyPage } from '../../app/lazyPage';
import type { Feature, FeatureRoute, UserMenuEntry } from '../../app/feature';
import { messages } from './messages';

const Certificates = lazyPage(() => import('./Certificates'));
const Verify = lazyPage(() => import('./Verify'));
const ChangePinDialog = lazyPage(() => import('./ChangePin').then((m) => ({ default: m.ChangePinDialog })));

const routes: FeatureRoute[] = [
  { path: '/certificates', element: <Certificates />, menu: { label: 'menu.certificates', roles: ['administrator', 'security_officer'], order: 170 } },
  {
    path: '/verify', element: <Verify />,
    menu: { label: 'menu.verify', roles: ['administrator', 'clerk', 'specialist', 'leader', 'security_officer'], order: 200 },
  },
];

// Đổi mã PIN ký số, under the person's name.
const userMenu: UserMenuEntry[] = [
  { key: 'pin', label: 'pin.change', dialog: (close) => <ChangePinDialog onClose={close} /> },
];

export default { messages, routes, userMenu } satisfies Feature;
