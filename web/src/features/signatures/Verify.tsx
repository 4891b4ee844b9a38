import { useState } from 'react';
import { Alert, Button, Card, Form, Space, Spin, Tabs, Typography, Upload } from 'antd';
import { call, upload } from '../../app/api';
import type { Schema } from '../../app/api-types';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { explainPinError } from './signatures';
import type { ValidationReport } from './signatures';
import { ValidationReportView } from './Signatures';

// Kiểm tra chữ ký: anyone signed in checks a signed PDF (or, for clerks who
// may upload files, a detached .p7s over its data file) and reads the
// server's validation report. Nothing is attached to any document.
export default function Verify() {
  const { t } = useI18n();
  const { has } = useSession();
  const [report, setReport] = useState<{ name: string; report: ValidationReport } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const check = async (name: string, work: () => Promise<ValidationReport>) => {
    setBusy(true);
    setError('');
    setReport(null);
    try {
      setReport({ name, report: await work() });
    } catch (e) {
      setError(explainPinError(e, t).message);
    } finally {
      setBusy(false);
    }
  };

  const verifyPdf = (file: File) => {
    void check(file.name, () => call<ValidationReport>('POST', '/signatures/verify', { raw: file, contentType: 'application/pdf' }));
    return false; // sent by us, not by the Upload component
  };

  const tabs = [
    {
      key: 'pdf', label: t('verify.tabPdf'),
      children: (
        <Form layout="vertical">
          <Form.Item label={t('verify.pdf')} htmlFor="verify-pdf" extra={t('verify.hint')}>
            <Upload id="verify-pdf" accept=".pdf,application/pdf" beforeUpload={verifyPdf} showUploadList={false} maxCount={1}>
              <Button loading={busy}>{t('verify.choose')}</Button>
            </Upload>
          </Form.Item>
        </Form>
      ),
    },
  ];
  if (has('clerk')) tabs.push({ key: 'cms', label: t('verify.tabCms'), children: <DetachedForm busy={busy} onCheck={check} /> });

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small" title={t('verify.title')}>
        <Tabs items={tabs} />
      </Card>
      {busy && <Spin />}
      {error && <Alert type="error" showIcon title={error} />}
      {report && (
        <Card size="small" title={t('verify.of', { name: report.name })}>
          <ValidationReportView report={report.report} />
        </Card>
      )}
    </Space>
  );
}

// A detached CMS signature (.p7s) and the file it signs: the file goes up
// first (POST /blobs), the signature is then checked against its SHA-256.
function DetachedForm({ busy, onCheck }: {
  busy: boolean; onCheck: (name: string, work: () => Promise<ValidationReport>) => Promise<void>;
}) {
  const { t } = useI18n();
  const [p7s, setP7s] = useState<File | null>(null);
  const [data, setData] = useState<File | null>(null);
  const pick = (set: (f: File) => void) => (f: File) => {
    set(f);
    return false;
  };
  const run = () => {
    if (!p7s || !data) return;
    void onCheck(p7s.name, async () => {
      const blob = await upload<Schema<'UploadedBlob'>>('/blobs', data);
      return call<ValidationReport>('POST', '/signatures/verify', {
        raw: p7s, contentType: 'application/pkcs7-signature', query: { data: blob.sha256 },
      });
    });
  };
  return (
    <Form layout="vertical" onFinish={run}>
      <Form.Item label={t('verify.p7s')} htmlFor="verify-p7s" required>
        <Space>
          <Upload id="verify-p7s" accept=".p7s,application/pkcs7-signature" beforeUpload={pick(setP7s)} showUploadList={false}>
            <Button>{t('verify.choose')}</Button>
          </Upload>
          <Typography.Text>{p7s?.name}</Typography.Text>
        </Space>
      </Form.Item>
      <Form.Item label={t('verify.data')} htmlFor="verify-data" required>
        <Space>
          <Upload id="verify-data" beforeUpload={pick(setData)} showUploadList={false}>
            <Button>{t('verify.choose')}</Button>
          </Upload>
          <Typography.Text>{data?.name}</Typography.Text>
        </Space>
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} disabled={!p7s || !data}>{t('verify.run')}</Button>
    </Form>
  );
}
