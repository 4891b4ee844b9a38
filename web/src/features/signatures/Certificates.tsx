import { useEffect, useMemo, useState } from 'react';
import {
  Alert, App, Button, Card, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag, Typography,
} from 'antd';
import { get, post } from '../../app/api';
import { tKey, useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { useQuery } from '../../app/useQuery';
import { describe } from '../../shared/errors';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import { useSubmit } from '../../shared/formErrors';
import { formatDate, formatDateTime } from '../../shared/format';
import { unitName } from '../../shared/units';
import { usePeopleSearch } from '../org/people';
import { PROFILES, STATUSES, type Certificate } from './signatures';
import { FormAlert } from '../../shared/FormAlert';
import { NOT_ON_PHONE } from '../../shared/screen';
import { ScrollBox } from '../../shared/ScrollBox';

const STATUS_COLORS: Record<string, string> = { active: 'green', revoked: 'red', replaced: 'default' };

// Chứng thư số (administrator, security officer): the node's certificates,
// the node CA made once, certificates issued to a person (key under a PIN
// they receive by hand) or to a unit's seal, and revocation with a reason.
// The API never returns a private key; this page shows none either.
export default function Certificates() {
  const { t } = useI18n();
  const { units, personName, loadPeople } = useSession();
  const [filter, setFilter] = useState<{ profile?: string; status?: string }>({});
  const list = useQuery(`certificates:${filter.profile}:${filter.status}`, async (signal) => {
    const [all, cas] = await Promise.all([
      get<{ items: Certificate[] }>('/pki/certificates', filter, signal),
      get<{ items: Certificate[] }>('/pki/certificates', { profile: 'root_ca' }, signal),
    ]);
    return { items: all.items, hasCa: cas.items.some((c) => c.status === 'active') };
  }, { keep: true });
  const items = list.data?.items ?? [];
  const hasCa = list.data ? list.data.hasCa : null;
  const { loading, error, reload } = list;
  const [dialog, setDialog] = useState<'ca' | 'issue' | null>(null);
  const [revoking, setRevoking] = useState<Certificate | null>(null);

  useEffect(() => loadPeople((list.data?.items ?? []).map((c) => c.user_id)), [list.data, loadPeople]);

  const label = (prefix: string, v: string) => tKey(t, `${prefix}.${v}`, v);

  const columns = [
    { title: t('cert.subject'), dataIndex: 'subject', key: 'subject', width: 240, responsive: NOT_ON_PHONE },
    {
      title: t('cert.holder'), key: 'holder',
      render: (_: unknown, c: Certificate) => (c.user_id ? personName(c.user_id) : c.unit_id ? unitName(units, c.unit_id) : '—'),
    },
    { title: t('cert.profile'), key: 'profile', width: 170, responsive: NOT_ON_PHONE, render: (_: unknown, c: Certificate) => label('cert.profile', c.profile) },
    {
      title: t('cert.validity'), key: 'validity', width: 200, responsive: NOT_ON_PHONE,
      render: (_: unknown, c: Certificate) => `${formatDate(c.not_before)} – ${formatDate(c.not_after)}`,
    },
    { title: t('cert.keyStore'), key: 'key', width: 180, responsive: NOT_ON_PHONE, render: (_: unknown, c: Certificate) => label('cert.keyStore', c.key_store) },
    {
      title: t('cert.status'), key: 'status', width: 220,
      render: (_: unknown, c: Certificate) => (
        <Space orientation="vertical" size={0}>
          <Tag color={STATUS_COLORS[c.status] || 'default'}>{label('cert.status', c.status)}</Tag>
          {c.revoked_at && (
            <Typography.Text type="secondary">{formatDateTime(c.revoked_at)}{c.revocation_reason ? ` · ${c.revocation_reason}` : ''}</Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t('cert.serial'), key: 'serial', width: 140, responsive: NOT_ON_PHONE, render: (_: unknown, c: Certificate) => <Typography.Text code copyable={{ text: c.serial }}>{c.serial.slice(0, 8)}…</Typography.Text> },
    {
      title: t('common.actions'), key: 'actions', width: 110,
      render: (_: unknown, c: Certificate) => (c.status === 'active' && ['person', 'organization'].includes(c.profile) ? (
        <Button size="small" danger onClick={() => setRevoking(c)}>{t('cert.revoke')}</Button>
      ) : null),
    },
  ];

  return (
    <Card size="small" title={t('cert.title')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {hasCa === false && (
          <Alert type="warning" showIcon title={t('cert.noCa')}
            action={<Button type="primary" onClick={() => setDialog('ca')}>{t('cert.createCa')}</Button>} />
        )}
        <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
          <Space wrap>
            <Select aria-label={t('cert.profile')} style={{ width: 220 }} allowClear placeholder={t('cert.allProfiles')}
              value={filter.profile} onChange={(v) => setFilter((f) => ({ ...f, profile: v }))}
              options={PROFILES.map((p) => ({ value: p, label: label('cert.profile', p) }))} />
            <Select aria-label={t('cert.status')} style={{ width: 200 }} allowClear placeholder={t('cert.allStatuses')}
              value={filter.status} onChange={(v) => setFilter((f) => ({ ...f, status: v }))}
              options={STATUSES.map((s) => ({ value: s, label: label('cert.status', s) }))} />
            <Button onClick={() => void reload()}>{t('common.reload')}</Button>
          </Space>
          <Button type="primary" disabled={!hasCa} onClick={() => setDialog('issue')}>{t('cert.issue')}</Button>
        </Space>
        {error ? <Alert type="error" showIcon title={describe(error, t)} /> : null}
        <ScrollBox label={t('cert.title')}>
          <Table<Certificate> size="small" rowKey="serial" loading={loading} dataSource={items} columns={columns}
            pagination={{ pageSize: 50, hideOnSinglePage: true }} locale={{ emptyText: t('cert.empty') }} />
        </ScrollBox>
      </Space>
      {dialog === 'ca' && <CaDialog onClose={() => setDialog(null)} onDone={reload} />}
      {dialog === 'issue' && <IssueDialog onClose={() => setDialog(null)} onDone={reload} />}
      {revoking && <RevokeDialog cert={revoking} onClose={() => setRevoking(null)} onDone={reload} />}
    </Card>
  );
}

function CaDialog({ onClose, onDone }: { onClose: () => void; onDone: () => Promise<void> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ common_name?: string; days?: number }>();
  const labels = { common_name: t('cert.caName'), days: t('cert.days') };
  const { busy, error, submit } = useSubmit(form, { labels });
  const finish = (v: { common_name?: string; days?: number }) => submit(async () => {
    const body: Record<string, unknown> = {};
    if (v.common_name?.trim()) body.common_name = v.common_name.trim();
    if (v.days) body.days = v.days;
    await post('/pki/ca', body);
    message.success(t('cert.caCreated'));
    onClose();
    await onDone();
  });
  return (
    <Modal open title={t('cert.createCa')} okText={t('cert.createCa')} cancelText={t('common.cancel')}
      onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={finish}>
        <FormAlert error={error} />
        <Form.Item name="common_name" label={labels.common_name} rules={[{ max: 200, message: t('common.tooLong', { max: 200 }) }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item name="days" label={labels.days}>
          <InputNumber min={1} max={36500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface IssueValues {
  profile: 'person' | 'organization';
  user_id?: number;
  unit_id?: number;
  pin?: string;
  pin_repeat?: string;
  days?: number;
}

// A person's certificate (their key made here, encrypted under the PIN typed
// twice) or a unit's seal (only units that issue documents have one).
function IssueDialog({ onClose, onDone }: { onClose: () => void; onDone: () => Promise<void> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { units } = useSession();
  const [form] = Form.useForm<IssueValues>();
  const labels = {
    profile: t('cert.profile'), user_id: t('cert.person'), pin: t('sig.pin'), pin_repeat: t('cert.pinRepeat'),
    unit_id: t('cert.unit'), days: t('cert.days'),
  };
  const { busy, error, submit } = useSubmit(form, { labels });
  const people = usePeopleSearch();
  const profile = Form.useWatch('profile', form) ?? 'person';
  const issuing = useMemo(() => units.filter((u) => u.active && u.issues_documents), [units]);
  const finish = (v: IssueValues) => submit(async () => {
    const body: Record<string, unknown> = v.profile === 'person'
      ? { profile: 'person', user_id: v.user_id, pin: v.pin }
      : { profile: 'organization', unit_id: v.unit_id };
    if (v.days) body.days = v.days;
    await post('/pki/certificates', body);
    message.success(t('cert.issued'));
    onClose();
    await onDone();
  });
  return (
    <Modal open title={t('cert.issue')} okText={t('cert.issue')} cancelText={t('common.cancel')} width={560}
      onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={finish} initialValues={{ profile: 'person' }}>
        <FormAlert error={error} />
        <Form.Item name="profile" label={labels.profile}>
          <Radio.Group options={[
            { value: 'person', label: t('cert.profile.person') },
            { value: 'organization', label: t('cert.profile.organization') },
          ]} />
        </Form.Item>
        {profile === 'person' ? (
          <>
            <Form.Item name="user_id" label={labels.user_id} rules={[{ required: true, message: t('common.required') }]}>
              <Select showSearch allowClear filterOption={false} onSearch={people.search} options={people.options} />
            </Form.Item>
            <Form.Item name="pin" label={labels.pin} extra={t('cert.pinHint')}
              rules={[{ required: true, message: t('common.required') }, { min: 6, max: 64, message: t('field.bad_pin') }]}>
              <Input.Password autoComplete="new-password" maxLength={64} />
            </Form.Item>
            <Form.Item name="pin_repeat" label={labels.pin_repeat} dependencies={['pin']}
              rules={[{ required: true, message: t('common.required') }, ({ getFieldValue }) => ({
                validator: (_, v) => (!v || v === getFieldValue('pin') ? Promise.resolve() : Promise.reject(new Error(t('pin.mismatch')))),
              })]}>
              <Input.Password autoComplete="new-password" maxLength={64} />
            </Form.Item>
          </>
        ) : (
          <Form.Item name="unit_id" label={labels.unit_id} rules={[{ required: true, message: t('common.required') }]}>
            <Select showSearch optionFilterProp="label"
              options={issuing.map((u) => ({ value: u.id, label: `${u.name} (${u.abbreviation})` }))} />
          </Form.Item>
        )}
        <Form.Item name="days" label={labels.days}>
          <InputNumber min={1} max={3650} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// Thu hồi chứng thư số: the one confirmation dialog, with the reason the
// revocation list will carry.
function RevokeDialog({ cert, onClose, onDone }: { cert: Certificate; onClose: () => void; onDone: () => Promise<void> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const revoke = async ({ reason }: Record<string, string>) => {
    await post(`/pki/certificates/${encodeURIComponent(cert.serial)}/revoke`, { reason });
    message.success(t('cert.revoked'));
    onClose();
    await onDone();
  };
  return (
    <ConfirmDialog title={t('cert.revokeTitle', { subject: cert.subject })} confirmLabel={t('cert.revoke')} danger
      consequences={<Alert type="warning" showIcon title={t('cert.revokeWarning')} />}
      text={{ name: 'reason', label: t('cert.revokeReason'), required: true, max: 1000 }}
      onConfirm={revoke} onCancel={onClose} />
  );
}
