import { lazy } from 'react';
import type { Feature, FeatureRoute } from '../../app/feature';
import { messages } from './messages';

const DocumentList = lazy(() => import('./DocumentList'));
const DocumentView = lazy(() => import('./DocumentView'));
const DraftForm = lazy(() => import('./DraftForm'));
const RegisterIncoming = lazy(() => import('./RegisterIncoming'));
const RegisterBooks = lazy(() => import('./RegisterBooks'));
const Dashboard = lazy(() => import('./Dashboard')); // ECharts: its own chunk

const routes: FeatureRoute[] = [
  { path: '/inbox', element: <DocumentList box="inbox" />, menu: { label: 'menu.inbox', roles: ['specialist', 'leader'], order: 10 } },
  { path: '/awaiting-approval', element: <DocumentList box="awaiting_approval" />, menu: { label: 'menu.awaitingApproval', roles: ['leader'], order: 20 } },
  { path: '/awaiting-assignment', element: <DocumentList box="awaiting_assignment" />, menu: { label: 'menu.awaitingAssignment', roles: ['leader'], order: 30 } },
  { path: '/dashboard', element: <Dashboard />, menu: { label: 'menu.dashboard', roles: ['leader'], order: 40 } },
  { path: '/register', element: <RegisterIncoming />, menu: { label: 'menu.register', roles: ['clerk'], order: 50 } },
  { path: '/incoming', element: <DocumentList box="incoming" />, menu: { label: 'menu.incoming', roles: ['clerk', 'leader', 'specialist'], order: 60 } },
  { path: '/outgoing', element: <DocumentList box="outgoing" />, menu: { label: 'menu.outgoing', roles: ['clerk', 'leader', 'specialist'], order: 70 } },
  { path: '/drafts', element: <DocumentList box="drafts" />, menu: { label: 'menu.drafts', roles: ['specialist', 'leader', 'clerk'], order: 80 } },
  { path: '/documents/new', element: <DraftForm />, menu: { label: 'menu.newDraft', roles: ['specialist', 'leader', 'clerk'], order: 90 } },
  { path: '/books', element: <RegisterBooks />, menu: { label: 'menu.books', roles: ['clerk', 'leader'], order: 100 } },
  { path: '/documents', element: <DocumentList box="all" />, menu: { label: 'menu.all', roles: ['clerk', 'leader', 'specialist', 'security_officer'], order: 110 } },
  { path: '/documents/:id', element: <DocumentView /> },
];

export default { messages, routes } satisfies Feature;
