import { Button, Form, Input, Space, Typography } from 'antd';
import { useI18n } from './i18n';
import { useSession } from './session';
import { FormAlert } from '../shared/FormAlert';
import { useSubmit } from '../shared/formErrors';
import LanguageSwitch from './LanguageSwitch';

// Here a 401 means a wrong name or password — not an ended session, which
// is what it means everywhere else.
const SIGN_IN = { codes: { unauthenticated: 'login.wrong' } } as const;

export default function Login() {
  const { t } = useI18n();
  const { login } = useSession();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const { busy, error, submit } = useSubmit(form, SIGN_IN);
  const finish = (v: { username: string; password: string }) => submit(() => login(v.username, v.password));
  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      {/* A plain box, not antd's Card: Card brings Tabs along, which the
          sign-in page would download for nothing (docs/performance.md). */}
      <div style={{ width: 'min(380px, calc(100vw - 16px))', boxSizing: 'border-box', background: '#fff', borderRadius: 8, padding: 24,
        border: '1px solid #f0f0f0' }}>
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
            <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>{t('login.title')}</Typography.Title>
            <LanguageSwitch />
          </div>
          <Typography.Text type="secondary">Chancery · {t('app.name')}</Typography.Text>
          <FormAlert error={error} />
          <Form form={form} layout="vertical" name="login" onFinish={finish} requiredMark={false}>
            <Form.Item label={t('login.username')} name="username"
              rules={[{ required: true, message: t('common.required') }]}>
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item label={t('login.password')} name="password"
              rules={[{ required: true, message: t('common.required') }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>{t('login.submit')}</Button>
          </Form>
        </Space>
      </div>
    </main>
  );
}
