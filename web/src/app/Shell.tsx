import { Fragment, Suspense, useState, type ReactNode } from 'react';
import { Button, Dropdown, Layout, Menu, Space, Typography } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router-dom';
import { useI18n } from './i18n';
import { useSession } from './session';
import { unitName } from '../shared/units';
import LanguageSwitch from './LanguageSwitch';
import { FEATURES } from './registry';
import type { UserMenuEntry } from './feature';

const { Header, Sider, Content } = Layout;

// The side menu, from the features' routes: the entries a person sees
// depend on their roles.
const ITEMS = FEATURES.flatMap((f) => f.routes.flatMap((r) => (r.menu ? [{ path: r.path, ...r.menu }] : [])))
  .sort((a, b) => a.order - b.order);
const USER_MENU = FEATURES.flatMap((f): UserMenuEntry[] => ('userMenu' in f ? f.userMenu : []));

export default function Shell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { user, units, has, logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [dialog, setDialog] = useState<string | null>(null);
  const items = ITEMS.filter((i) => has(...i.roles));
  const selected = items
    .filter((i) => location.pathname === i.path || location.pathname.startsWith(i.path + '/'))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#7f0b16', paddingInline: 16 }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 16, whiteSpace: 'nowrap' }}>
          Chancery · {t('app.name')}
        </Typography.Text>
        <div style={{ flex: 1 }} />
        <Space size="middle">
          <Dropdown trigger={['click']} menu={{
            items: USER_MENU.map((m) => ({ key: m.key, label: t(m.label) })),
            onClick: (e) => setDialog(e.key),
          }}>
            <Button type="text" aria-label={t('user.menu')} style={{ color: '#fff' }} data-testid="whoami">
              <strong>{user?.full_name}</strong>
              {user?.position ? ` · ${user.position}` : ''} · {unitName(units, user?.unit_id)}
              <DownOutlined />
            </Button>
          </Dropdown>
          <LanguageSwitch />
          <Button size="small" onClick={() => void logout().then(() => navigate('/'))}>
            {t('login.logout')}
          </Button>
        </Space>
      </Header>
      <Layout>
        <Sider width={220} theme="light" breakpoint="lg" collapsedWidth={0}>
          <nav aria-label="menu">
            <Menu
              mode="inline"
              selectedKeys={selected ? [selected] : []}
              items={items.map((i) => ({ key: i.path, label: t(i.label) }))}
              onClick={(e) => navigate(e.key)}
              style={{ borderInlineEnd: 0 }}
            />
          </nav>
        </Sider>
        {/* Layout.Content is the page's <main>. */}
        <Content style={{ padding: 16, background: '#fff' }}>{children}</Content>
      </Layout>
      <Suspense fallback={null}>
        {USER_MENU.filter((m) => m.key === dialog).map((m) => <Fragment key={m.key}>{m.dialog(() => setDialog(null))}</Fragment>)}
      </Suspense>
    </Layout>
  );
}
