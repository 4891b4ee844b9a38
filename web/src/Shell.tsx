import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Dropdown, Form, Input, Layout, Menu, Modal, Space, Typography } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router-dom';
import { useI18n } from './i18n';
import type { MessageKey } from './i18n/messages';
import type { Role } from './api';
import { useSession } from './session';
import { unitName } from './units';
import { ApiError, put } from './api';
import { explain } from './errors';
import LanguageSwitch from './LanguageSwitch';

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

interface PinValues {
  old_pin: string;
  new_pin: string;
  repeat: string;
}

// Đổi mã PIN ký số: the key is re-encrypted on the server under the new PIN.
// The server names the old PIN `pin` (wrong_pin, no_key).
function ChangePinDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<PinValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const finish = async (v: PinValues) => {
    setBusy(true);
    setError('');
    try {
      await put('/me/signing-pin', { old_pin: v.old_pin, new_pin: v.new_pin });
      message.success(t('pin.changed'));
      onClose();
    } catch (e) {
      const { message: text, fields } = explain(e, t);
      const named = fields.map((f) => ({ ...f, field: f.field === 'pin' ? 'old_pin' : f.field }))
        .filter((f) => ['old_pin', 'new_pin'].includes(f.field));
      form.setFields(named.map((f) => ({ name: f.field as keyof PinValues, errors: [f.message] })));
      setError(explainCode(e) === 'account_locked' ? t('sig.locked') : text);
    } finally {
      setBusy(false);
    }
  };
  const rules = [{ required: true, message: t('common.required') }];
  return (
    <Modal open title={t('pin.change')} okText={t('common.save')} cancelText={t('common.cancel')}
      onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void finish(v)}>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form.Item name="old_pin" label={t('pin.old')} rules={rules}>
          <Input.Password autoFocus autoComplete="current-password" maxLength={64} />
        </Form.Item>
        <Form.Item name="new_pin" label={t('pin.new')} rules={[...rules, { min: 6, max: 64, message: t('field.bad_pin') }]}>
          <Input.Password autoComplete="new-password" maxLength={64} />
        </Form.Item>
        <Form.Item name="repeat" label={t('pin.repeat')} dependencies={['new_pin']}
          rules={[...rules, ({ getFieldValue }) => ({
            validator: (_, v) => (!v || v === getFieldValue('new_pin') ? Promise.resolve() : Promise.reject(new Error(t('pin.mismatch')))),
          })]}>
          <Input.Password autoComplete="new-password" maxLength={64} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function explainCode(e: unknown): string {
  return e instanceof ApiError ? e.problem.code : '';
}
