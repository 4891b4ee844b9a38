import { useState } from 'react';
import {
  Alert, App, Button, Card, Descriptions, Drawer, Form, Input, Select, Space, Switch, Table, Tag, Typography, Upload,
} from 'antd';
import { get, post, put } from '../../app/api';
import type { Schema } from '../../app/api-types';
import { tKey, useI18n } from '../../app/i18n';
import { describe } from '../../shared/errors';
import { useSubmit } from '../../shared/formErrors';
import { formatDateTime } from '../../shared/format';
import { useQuery } from '../../app/useQuery';
import { usePeerDirectory } from './usePeers';
import { CLASSIFICATIONS } from '../documents/DocumentFields';
import {
  looksLikeAgencyCode, looksLikeEndpoint, looksLikePem, peerBody, shortFingerprint, type Identity, type Peer, type PeerInput,
} from './exchange';
import { FormAlert } from '../../shared/FormAlert';
import { ScrollBox } from '../../shared/ScrollBox';
import { NOT_ON_PHONE, useScreen } from '../../shared/screen';

const mono = { fontFamily: 'monospace', fontSize: 12 };
// A PEM keeps its lines, and breaks them where a phone is narrower.
const pem = { whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 } as const;

// Liên thông (administrator): the directory of other agencies' nodes, added
// by hand or from a signed directory, and this node's own identity to give
// to them (docs/exchange.md). Certificates are public; no key is shown.
export default function Exchange() {
  const { t } = useI18n();
  const { items: peers, loading, error, reload } = usePeerDirectory();
  const [editing, setEditing] = useState<Peer | 'new' | null>(null);

  const sourceLabel = (s: string) => tKey(t, `exchange.source.${s}`, s);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small" title={t('exchange.peers')}
        extra={<Button type="primary" onClick={() => setEditing('new')}>{t('exchange.addPeer')}</Button>}>
        {error ? <Alert type="error" showIcon title={describe(error, t)} style={{ marginBottom: 12 }} /> : null}
        <ScrollBox label={t('exchange.peers')}>
          <Table<Peer> size="small" rowKey="agency_code" loading={loading} dataSource={peers}
            pagination={{ pageSize: 50, hideOnSinglePage: true }} locale={{ emptyText: t('exchange.noPeers') }}
            columns={[
              { title: t('exchange.agencyCode'), key: 'code', width: 140, render: (_, p) => <Typography.Text code>{p.agency_code}</Typography.Text> },
              { title: t('exchange.name'), dataIndex: 'name', key: 'name', width: 240 },
              { title: t('exchange.endpoint'), key: 'endpoint', responsive: NOT_ON_PHONE, render: (_, p) => <span style={mono}>{p.endpoint || '—'}</span> },
              {
                title: t('exchange.fingerprint'), key: 'fp', width: 180, responsive: NOT_ON_PHONE,
                render: (_, p) => (p.certificate_sha256
                  ? <Typography.Text style={mono} copyable={{ text: p.certificate_sha256 }}>{shortFingerprint(p.certificate_sha256)}</Typography.Text>
                  : '—'),
              },
              {
                title: t('exchange.viaZone'), key: 'route', width: 130, responsive: NOT_ON_PHONE,
                render: (_, p) => [p.via, p.zone].filter(Boolean).join(' · ') || '—',
              },
              { title: t('exchange.maxClassification'), key: 'max', width: 130, responsive: NOT_ON_PHONE, render: (_, p) => t(`classification.${p.max_classification}`) },
              {
                title: t('cert.status'), key: 'active', width: 120,
                render: (_, p) => <Tag color={p.active ? 'green' : 'default'}>{t(p.active ? 'exchange.active' : 'exchange.inactive')}</Tag>,
              },
              {
                title: t('exchange.source'), key: 'source', width: 150, responsive: NOT_ON_PHONE,
                render: (_, p) => (
                  <Space orientation="vertical" size={0}>
                    <span>{sourceLabel(p.source)}</span>
                    <Typography.Text type="secondary">{formatDateTime(p.updated_at)}</Typography.Text>
                  </Space>
                ),
              },
              {
                title: t('common.actions'), key: 'edit', width: 90,
                render: (_, p) => <Button size="small" onClick={() => setEditing(p)}>{t('exchange.edit')}</Button>,
              },
            ]} />
        </ScrollBox>
      </Card>
      <IdentityCard />
      <DirectoryImport peers={peers} onDone={reload} />
      {editing && <PeerDrawer peer={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onDone={reload} />}
    </Space>
  );
}

interface PeerValues extends PeerInput {
  agency_code: string;
}

function PeerDrawer({ peer, onClose, onDone }: { peer: Peer | null; onClose: () => void; onDone: () => Promise<void> }) {
  const { t } = useI18n();
  const phone = useScreen() === 'phone';
  const { message } = App.useApp();
  const [form] = Form.useForm<PeerValues>();
  const labels = {
    agency_code: t('exchange.agencyCode'), name: t('exchange.name'), endpoint: t('exchange.endpoint'),
    certificate_pem: t('exchange.certificate'), ca_pem: t('exchange.ca'), via: t('exchange.via'),
    zone: t('exchange.zone'), max_classification: t('exchange.maxClassification'), active: t('exchange.active'),
  };
  const { busy, error, submit } = useSubmit(form, { labels });
  const finish = (v: PeerValues) => submit(async () => {
    const code = v.agency_code.trim();
    await put(`/exchange/peers/${encodeURIComponent(code)}`, peerBody(v));
    message.success(t('exchange.saved', { code }));
    onClose();
    await onDone();
  });
  const required = { required: true, whitespace: true, message: t('common.required') };
  const pem = (optional: boolean) => ({
    validator: (_: unknown, v: string | undefined) => ((optional && !v?.trim()) || looksLikePem(v)
      ? Promise.resolve() : Promise.reject(new Error(t('exchange.badPem')))),
  });
  return (
    <Drawer open size={phone ? '100%' : 640} title={peer ? t('exchange.editPeer', { code: peer.agency_code }) : t('exchange.addPeer')}
      onClose={onClose} destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()}>{t('common.save')}</Button>
        </Space>
      }>
      <Form form={form} layout="vertical" onFinish={finish} name="peer"
        initialValues={peer ?? { max_classification: 'normal', active: true }}>
        <FormAlert error={error} />
        <Form.Item name="agency_code" label={labels.agency_code} rules={[required, {
          validator: (_, v) => (!v || looksLikeAgencyCode(v) ? Promise.resolve() : Promise.reject(new Error(t('exchange.badCode')))),
        }]}>
          <Input disabled={!!peer} autoFocus={!peer} placeholder="000.00.01.H08" />
        </Form.Item>
        <Form.Item name="name" label={labels.name} rules={[required, { max: 300, message: t('common.tooLong', { max: 300 }) }]}>
          <Input />
        </Form.Item>
        <Form.Item name="endpoint" label={labels.endpoint} extra={t('exchange.endpointHint')}
          rules={[{ max: 500, message: t('common.tooLong', { max: 500 }) }, {
            validator: (_, v) => (!v || looksLikeEndpoint(v) ? Promise.resolve() : Promise.reject(new Error(t('exchange.badEndpoint')))),
          }]}>
          <Input placeholder="https://10.0.0.8:8443" />
        </Form.Item>
        <Form.Item name="certificate_pem" label={labels.certificate_pem} rules={[pem(true)]}>
          <Input.TextArea rows={6} style={mono} placeholder="-----BEGIN CERTIFICATE-----" />
        </Form.Item>
        <Form.Item name="ca_pem" label={labels.ca_pem} extra={t('exchange.caHint')} dependencies={['certificate_pem']}
          rules={[pem(true), ({ getFieldValue }) => ({
            validator: (_, v) => (v?.trim() || getFieldValue('certificate_pem')?.trim()
              ? Promise.resolve() : Promise.reject(new Error(t('common.required')))),
          })]}>
          <Input.TextArea rows={6} style={mono} placeholder="-----BEGIN CERTIFICATE-----" />
        </Form.Item>
        <Space size="middle" wrap>
          <Form.Item name="via" label={labels.via} rules={[{ max: 50, message: t('common.tooLong', { max: 50 }) }]}>
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="zone" label={labels.zone} rules={[{ max: 50, message: t('common.tooLong', { max: 50 }) }]}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="max_classification" label={labels.max_classification}>
            <Select style={{ width: 170 }} options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`classification.${c}`) }))} />
          </Form.Item>
          <Form.Item name="active" label={labels.active} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
      </Form>
    </Drawer>
  );
}

// What another agency's administrator enters for this node.
function IdentityCard() {
  const { t } = useI18n();
  const phone = useScreen() === 'phone';
  const { message } = App.useApp();
  const { data: identity, error } = useQuery('exchange/identity', (signal) => get<Identity>('/exchange/identity', undefined, signal));
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(JSON.stringify(identity, null, 2));
      message.success(t('exchange.copied'));
    } catch {
      message.error(t('error.unknown', { code: 'clipboard' }));
    }
  };
  return (
    <Card size="small" title={t('exchange.identity')} data-testid="identity"
      extra={identity && <Button onClick={() => void copy()}>{t('exchange.copyIdentity')}</Button>}>
      {error ? (
        <Alert type="info" showIcon title={t('exchange.noIdentity', { detail: describe(error, t) })} />
      ) : identity && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('exchange.identityHint')}</Typography.Text>
          <Descriptions size="small" column={1} bordered layout={phone ? 'vertical' : 'horizontal'}
            styles={{ label: phone ? undefined : { width: 200 } }}>
            <Descriptions.Item label={t('exchange.agencyCode')}>
              <Typography.Text code copyable>{identity.agency_code}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.name')}>{identity.name}</Descriptions.Item>
            <Descriptions.Item label={t('exchange.endpoint')}>
              <Typography.Text style={mono} copyable={!!identity.endpoint}>{identity.endpoint || '—'}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.fingerprint')}>
              <Typography.Text style={mono} copyable={{ text: identity.certificate_sha256 }}>
                {shortFingerprint(identity.certificate_sha256)}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.certificate')}>
              <Typography.Paragraph style={{ ...mono, ...pem }} copyable ellipsis={{ rows: 3, expandable: true }}>
                {identity.certificate_pem}
              </Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.ca')}>
              <Typography.Paragraph style={{ ...mono, ...pem }} copyable ellipsis={{ rows: 3, expandable: true }}>
                {identity.ca_pem}
              </Typography.Paragraph>
            </Descriptions.Item>
          </Descriptions>
        </Space>
      )}
    </Card>
  );
}

// A signed directory from a central node (a peer already): a file, or none
// to fetch it from the publisher now.
function DirectoryImport({ peers, onDone }: { peers: Peer[]; onDone: () => Promise<void> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ source: string }>();
  const labels = { source: t('exchange.directorySource') };
  const { busy, error, submit } = useSubmit(form, { labels });
  const [file, setFile] = useState<File | null>(null);
  const finish = (v: { source: string }) => submit(async () => {
    const body: Record<string, unknown> = { source: v.source };
    if (file) body.file = await file.text();
    const r = await post<Schema<'DirectoryImport'>>('/exchange/directory', body);
    message.success(t('exchange.imported', { count: r.imported }));
    setFile(null);
    await onDone();
  });
  return (
    <Card size="small" title={t('exchange.importDirectory')}>
      <FormAlert error={error} />
      <Form form={form} layout="inline" onFinish={finish} name="directory">
        <Form.Item name="source" label={labels.source} rules={[{ required: true, message: t('common.required') }]}>
          <Select style={{ width: 320 }} showSearch optionFilterProp="label"
            options={peers.filter((p) => p.active).map((p) => ({ value: p.agency_code, label: `${p.name} (${p.agency_code})` }))} />
        </Form.Item>
        <Form.Item label={t('exchange.directoryFile')} extra={t('exchange.directoryHint')}>
          <Upload accept=".json,application/json" maxCount={1}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
            beforeUpload={(f) => { setFile(f); return false; }} onRemove={() => setFile(null)}>
            <Button>{t('verify.choose')}</Button>
          </Upload>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('exchange.run')}</Button>
      </Form>
    </Card>
  );
}
