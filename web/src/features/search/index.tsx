import { lazyPage } from '../../app/lazyPage';
import type { Feature, FeatureRoute } from '../../app/feature';
import { messages } from './messages';

// Search (the header's box on every page, the results page) and the
// legal-documents database (issue #15).
const HeaderSearch = lazyPage(() => import('./HeaderSearch'));
const SearchPage = lazyPage(() => import('./SearchPage'));
const LegalList = lazyPage(() => import('./LegalList'));
const LegalDocumentPage = lazyPage(() => import('./LegalDocumentPage'));
const ArticleRedirect = lazyPage(() => import('./ArticleRedirect'));

const EVERYONE = ['administrator', 'clerk', 'specialist', 'leader', 'security_officer'] as const;

const routes: FeatureRoute[] = [
  { path: '/search', element: <SearchPage /> },
  { path: '/legal', element: <LegalList />, menu: { label: 'menu.legal', roles: [...EVERYONE], order: 120 } },
  { path: '/legal/:id', element: <LegalDocumentPage /> },
  { path: '/legal/articles/:id', element: <ArticleRedirect /> },
];

export default { messages, routes, header: <HeaderSearch /> } satisfies Feature;
