import { lazy, Suspense, useEffect } from 'react';
import { ConfigProvider, Spin, type ThemeConfig } from 'antd';
import viVN from 'antd/locale/vi_VN';
import enUS from 'antd/locale/en_US';
import frFR from 'antd/locale/fr_FR';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import 'dayjs/locale/fr';
import { matchPath, Navigate, Route, Routes } from 'react-router-dom';
import { useI18n } from './i18n';
import { useSession, wasSignedIn } from './session';
import { preloadElement } from './lazyPage';
import Login from './Login';
import { PageBoundary } from '../shared/ErrorBoundary';
import { FEATURES } from './registry';

const ROUTES = FEATURES.flatMap((f) => f.routes);
// The signed-in frame (menus, header) is loaded after sign-in: the sign-in
// page downloads only what it shows.
const loadSignedIn = () => import('./SignedIn');
const SignedIn = lazy(loadSignedIn);
// Ant Design's Result, with its pictures, only for an address that is no page.
const NotFound = lazy(() => import('./NotFound'));

// Signed in last time (a hint, not a proof: /me decides), the frame and the
// page of this address start loading now, beside /me, not after it.
if (wasSignedIn()) {
  void loadSignedIn().catch(() => undefined);
  const route = ROUTES.find((r) => matchPath(r.path, window.location.pathname));
  if (route) preloadElement(route.element);
}

const LOCALES = { vi: viVN, en: enUS, fr: frFR };

// Ant Design's defaults, darkened where text is too light to read (WCAG AA,
// 4.5:1, which web/e2e/accessibility.test.mjs checks with axe): links,
// secondary text (hints, counters, descriptions), a select's placeholder
// (shown as text, so checked) and the text of coloured
// tags — their 7th shade, which antd keeps under two names, becomes the 8th
// or 9th of the palette.
const TAG_TEXT = {
  volcano: '#ad2102', orange: '#ad4e00', gold: '#874d00', yellow: '#876800', lime: '#3f6600', green: '#237804', cyan: '#006d75',
} as const;
const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#a8071a',
    borderRadius: 4,
    colorLink: '#0958d9',
    colorInfo: '#0958d9',
    colorError: '#cf1322',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    ...Object.fromEntries(Object.entries(TAG_TEXT).flatMap(([color, text]) => [[`${color}7`, text], [`${color}-7`, text]])),
  },
};

function Home() {
  const { has } = useSession();
  if (has('specialist')) return <Navigate to="/inbox" replace />;
  if (has('leader')) return <Navigate to="/awaiting-approval" replace />;
  if (has('clerk')) return <Navigate to="/incoming" replace />;
  if (has('security_officer')) return <Navigate to="/security/audit" replace />;
  if (has('administrator')) return <Navigate to="/admin/units" replace />;
  return <Navigate to="/documents" replace />;
}

export default function App() {
  const { lang } = useI18n();
  const { user, loading } = useSession();
  useEffect(() => {
    dayjs.locale(lang === 'en' ? 'en' : lang);
  }, [lang]);
  return (
    <ConfigProvider locale={LOCALES[lang]} theme={THEME} componentSize="middle">
      {loading ? (
        <Spin fullscreen />
      ) : !user ? (
        <Login />
      ) : (
        <Suspense fallback={<Spin fullscreen />}>
          <SignedIn>
            <Suspense fallback={<Spin />}>
              <PageBoundary>
                <Routes>
                  <Route path="/" element={<Home />} />
                  {ROUTES.map((r) => <Route key={r.path} path={r.path} element={r.element} />)}
                  <Route path="/login" element={<Navigate to="/" replace />} />
                  <Route path="*" element={<NotFound />} />
                </Routes>
              </PageBoundary>
            </Suspense>
          </SignedIn>
        </Suspense>
      )}
    </ConfigProvider>
  );
}
