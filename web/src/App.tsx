import { lazy, Suspense, useEffect } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import viVN from 'antd/locale/vi_VN';
import enUS from 'antd/locale/en_US';
import frFR from 'antd/locale/fr_FR';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import 'dayjs/locale/fr';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useI18n } from './i18n';
import { useSession } from './session';
import Shell from './Shell';
import Login from './pages/Login';
import DocumentList from './pages/DocumentList';
import DocumentView from './pages/DocumentView';
import RegisterIncoming from './pages/RegisterIncoming';
import DraftForm from './pages/DraftForm';
import RegisterBooks from './pages/RegisterBooks';
import NotFound from './pages/NotFound';

// Charts and the administration pages are loaded when first opened.
const Dashboard = lazy(() => import('./pages/Dashboard'));
const Units = lazy(() => import('./pages/Units'));
const Users = lazy(() => import('./pages/Users'));
const Audit = lazy(() => import('./pages/Audit'));
const Certificates = lazy(() => import('./pages/Certificates'));
const Verify = lazy(() => import('./pages/Verify'));
const Exchange = lazy(() => import('./pages/Exchange'));
const Outbox = lazy(() => import('./pages/Outbox'));
const Quarantine = lazy(() => import('./pages/Quarantine'));
const Approvals = lazy(() => import('./pages/Approvals'));

const LOCALES = { vi: viVN, en: enUS, fr: frFR };

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
    <ConfigProvider locale={LOCALES[lang]} theme={{ token: { colorPrimary: '#a8071a', borderRadius: 4 } }}
      componentSize="middle">
      <AntApp>
        {loading ? (
          <Spin fullscreen />
        ) : !user ? (
          <Login />
        ) : (
          <Shell>
            <Suspense fallback={<Spin />}>
              <Routes>
                <Route path="/" element={<Home />} />
                <Route path="/inbox" element={<DocumentList box="inbox" />} />
                <Route path="/incoming" element={<DocumentList box="incoming" />} />
                <Route path="/outgoing" element={<DocumentList box="outgoing" />} />
                <Route path="/drafts" element={<DocumentList box="drafts" />} />
                <Route path="/awaiting-approval" element={<DocumentList box="awaiting_approval" />} />
                <Route path="/awaiting-assignment" element={<DocumentList box="awaiting_assignment" />} />
                <Route path="/documents" element={<DocumentList box="all" />} />
                <Route path="/documents/new" element={<DraftForm />} />
                <Route path="/documents/:id" element={<DocumentView />} />
                <Route path="/register" element={<RegisterIncoming />} />
                <Route path="/books" element={<RegisterBooks />} />
                <Route path="/dashboard" element={<Dashboard />} />
                <Route path="/admin/units" element={<Units />} />
                <Route path="/admin/users" element={<Users />} />
                <Route path="/security/audit" element={<Audit />} />
                <Route path="/certificates" element={<Certificates />} />
                <Route path="/verify" element={<Verify />} />
                <Route path="/exchange" element={<Exchange />} />
                <Route path="/exchange/outbox" element={<Outbox />} />
                <Route path="/security/quarantine" element={<Quarantine />} />
                <Route path="/approvals" element={<Approvals />} />
                <Route path="/login" element={<Navigate to="/" replace />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            </Suspense>
          </Shell>
        )}
      </AntApp>
    </ConfigProvider>
  );
}
