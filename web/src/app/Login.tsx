import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useI18n } from './i18n';
import { useSession } from './session';
import { explain } from '../shared/errors';
import LanguageSwitch from './LanguageSwitch';

export default function Login() {
  const { t } = useI18n();
  const { login } = useSession();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError('');
    try {
      await login(v.username, v.password);
    } catch (e) {
      setError(explain(e, t).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: 380 }}>
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>{t('login.title')}</Typography.Title>
            <LanguageSwitch />
          </div>
          <Typography.Text type="secondary">Chancery · {t('app.name')}</Typography.Text>
          {error && <Alert type="error" showIcon message={error} role="alert" />}
          <Form layout="vertical" name="login" onFinish={submit} requiredMark={false}>
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
      </Card>
    </div>
  );
}
