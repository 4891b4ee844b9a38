import { useState, type ReactNode } from 'react';
import { Button, Dropdown, Layout, Menu, Space, Typography } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router-dom';
import { useI18n } from './i18n';
import type { MessageKey } from './i18n/messages';
import type { Role } from './api';
import { useSession } from './session';
import { unitName } from './units';
import LanguageSwitch from './LanguageSwitch';
import { ChangePinDialog } from './components/ChangePin';

const { Header, Sider, Content } = Layout;

// The menu a person sees depends on their roles.
const ITEMS: { path: string; label: MessageKey; roles: Role[] }[] = [
  { path: '/inbox', label: 'menu.inbox', roles: ['specialist', 'leader'] },
  { path: '/awaiting-approval', label: 'menu.awaitingApproval', roles: ['leader'] },
  { path: '/awaiting-assignment', label: 'menu.awaitingAssignment', roles: ['leader'] },
  { path: '/dashboard', label: 'menu.dashboard', roles: ['leader'] },
  { path: '/register', label: 'menu.register', roles: ['clerk'] },
  { path: '/incoming', label: 'menu.incoming', roles: ['clerk', 'leader', 'specialist'] },
  { path: '/outgoing', label: 'menu.outgoing', roles: ['clerk', 'leader', 'specialist'] },
  { path: '/drafts', label: 'menu.drafts', roles: ['specialist', 'leader', 'clerk'] },
  { path: '/documents/new', label: 'menu.newDraft', roles: ['specialist', 'leader', 'clerk'] },
  { path: '/books', label: 'menu.books', roles: ['clerk', 'leader'] },
  { path: '/documents', label: 'menu.all', roles: ['clerk', 'leader', 'specialist', 'security_officer'] },
  { path: '/admin/units', label: 'menu.units', roles: ['administrator'] },
  { path: '/admin/users', label: 'menu.users', roles: ['administrator', 'security_officer'] },
  { path: '/approvals', label: 'menu.approvals', roles: ['administrator', 'security_officer', 'leader'] },
  { path: '/security/audit', label: 'menu.audit', roles: ['security_officer'] },
  { path: '/security/quarantine', label: 'menu.quarantine', roles: ['security_officer'] },
  { path: '/certificates', label: 'menu.certificates', roles: ['administrator', 'security_officer'] },
  { path: '/exchange', label: 'menu.exchange', roles: ['administrator'] },
  { path: '/exchange/outbox', label: 'menu.outbox', roles: ['clerk', 'administrator', 'security_officer'] },
  { path: '/verify', label: 'menu.verify', roles: ['administrator', 'clerk', 'specialist', 'leader', 'security_officer'] },
];

export default function Shell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { user, units, has, logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [pinOpen, setPinOpen] = useState(false);
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
            items: [{ key: 'pin', label: t('pin.change') }],
            onClick: (e) => e.key === 'pin' && setPinOpen(true),
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
        <Content style={{ padding: 16, background: '#fff' }}>
          <main>{children}</main>
        </Content>
      </Layout>
      {pinOpen && <ChangePinDialog onClose={() => setPinOpen(false)} />}
    </Layout>
  );
}
