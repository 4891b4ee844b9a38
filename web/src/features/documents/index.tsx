import { lazyPage } from '../../app/lazyPage';
import type { Feature, FeatureRoute } from '../../app/feature';
import { get } from '../../app/api';
import { messages } from './messages';
import type { BoxCounts } from './types';

const DocumentList = lazyPage(() => import('./DocumentList'));
const DocumentView = lazyPage(() => import('./DocumentView'));
const DraftForm = lazyPage(() => import('./DraftForm'));
const RegisterIncoming = lazyPage(() => import('./RegisterIncoming'));
const RegisterBooks = lazyPage(() => import('./RegisterBooks'));
const Dashboard = lazyPage(() => import('./Dashboard')); // ECharts: its own chunk
// Print views: a route each, opened by an "In" button (shared/PrintView.tsx).
const BookPrint = lazyPage(() => import('./BookPrint'));
const ProcessingSlip = lazyPage(() => import('./ProcessingSlip'));
const DocumentPrint = lazyPage(() => import('./DocumentPrint'));

const routes: FeatureRoute[] = [
  { path: '/inbox', element: <DocumentList box="inbox" />, menu: { label: 'menu.inbox', roles: ['specialist', 'leader'], order: 10, count: 'inbox' } },
  { path: '/awaiting-approval', element: <DocumentList box="awaiting_approval" />, menu: { label: 'menu.awaitingApproval', roles: ['leader'], order: 20, count: 'awaiting_approval' } },
  { path: '/awaiting-assignment', element: <DocumentList box="awaiting_assignment" />, menu: { label: 'menu.awaitingAssignment', roles: ['leader'], order: 30, count: 'awaiting_assignment' } },
  { path: '/dashboard', element: <Dashboard />, menu: { label: 'menu.dashboard', roles: ['leader'], order: 40 } },
  // The clerk's queues: copies to register, signed documents to number and issue.
  { path: '/received', element: <DocumentList box="received" />, menu: { label: 'menu.received', roles: ['clerk', 'leader'], order: 45, count: 'received' } },
  { path: '/register', element: <RegisterIncoming />, menu: { label: 'menu.register', roles: ['clerk'], order: 50 } },
  { path: '/incoming', element: <DocumentList box="incoming" />, menu: { label: 'menu.incoming', roles: ['clerk', 'leader', 'specialist'], order: 60 } },
  { path: '/to-issue', element: <DocumentList box="to_issue" />, menu: { label: 'menu.toIssue', roles: ['clerk', 'leader'], order: 65, count: 'to_issue' } },
  { path: '/outgoing', element: <DocumentList box="outgoing" />, menu: { label: 'menu.outgoing', roles: ['clerk', 'leader', 'specialist'], order: 70 } },
  { path: '/drafts', element: <DocumentList box="drafts" />, menu: { label: 'menu.drafts', roles: ['specialist', 'leader', 'clerk'], order: 80 } },
  { path: '/documents/new', element: <DraftForm />, menu: { label: 'menu.newDraft', roles: ['specialist', 'leader', 'clerk'], order: 90 } },
  { path: '/books', element: <RegisterBooks />, menu: { label: 'menu.books', roles: ['clerk', 'leader'], order: 100 } },
  { path: '/documents', element: <DocumentList box="all" />, menu: { label: 'menu.all', roles: ['clerk', 'leader', 'specialist', 'security_officer'], order: 110 } },
  { path: '/documents/:id', element: <DocumentView /> },
  { path: '/books/:id/print', element: <BookPrint /> },
  { path: '/documents/:id/slip', element: <ProcessingSlip /> },
  { path: '/documents/:id/print', element: <DocumentPrint /> },
];

// The menu's counts: how many wait in each box for the person signed in.
const counts = (signal: AbortSignal) => get<BoxCounts>('/documents/counts', undefined, signal);

export default { messages, routes, counts } satisfies Feature;
