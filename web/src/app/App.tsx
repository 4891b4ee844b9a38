import { Suspense, useEffect } from 'react';
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
import Login from './Login';
import NotFound from './NotFound';
import { FEATURES } from './registry';

const ROUTES = FEATURES.flatMap((f) => f.routes);

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
                {ROUTES.map((r) => <Route key={r.path} path={r.path} element={r.element} />)}
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
