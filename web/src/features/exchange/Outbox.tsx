import { useState } from 'react';
import { Alert, App, Button, Card, Segmented, Space, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { ApiError, get, upload } from '../../app/api';
import type { Page } from '../../app/api-types';
import type { Doc } from '../documents/types';
import { DocLink } from '../documents/DocLink';
import { docReference } from '../documents/labels';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { describe, explain } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { usePaged } from '../../app/usePaged';
import { DeliveryTag, ExchangeStatusTag } from './ExchangeCard';
import { usePeers } from './usePeers';
import { agencyName, DELIVERIES, formatSize, needsAttention, reasonLabel, type OutboxItem } from './exchange';
import { NOT_ON_PHONE } from '../../shared/screen';
import { ScrollBox } from '../../shared/ScrollBox';

// Gửi nhận liên thông (clerk; administrator and security officer may look):
// what this node sends other agencies, by state — refused and failed rows
// stand out, they will not go by themselves — and, for the clerk, an edXML
// file that came another way registered as an incoming document.
export default function Outbox() {
  const { t } = useI18n();
  const { has } = useSession();
  const peers = usePeers();
  const [state, setState] = useState<string>('');
  const list = usePaged<OutboxItem>(
    (cursor, signal) => get<Page<OutboxItem>>('/exchange/outbox', { state, cursor, limit: 100 }, signal), `outbox:${state}`);
  const { items, loading, error, reload } = list;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      {has('clerk') && <ImportEdxml />}
      <Card size="small" title={t('exchange.outbox')} data-testid="outbox"
        extra={<Button onClick={() => void reload()}>{t('common.reload')}</Button>}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Segmented<string> value={state} onChange={setState} aria-label={t('doc.state')}
            options={[{ value: '', label: t('exchange.allStates') },
              ...DELIVERIES.map((d) => ({ value: d, label: t(`exchange.delivery.${d}`) }))]} />
          {error ? <Alert type="error" showIcon title={describe(error, t)} /> : null}
          <ScrollBox label={t('exchange.outbox')}>
            <Table<OutboxItem> size="small" rowKey="id" loading={loading} dataSource={items}
              pagination={{ pageSize: 50, hideOnSinglePage: true }} locale={{ emptyText: t('exchange.emptyOutbox') }}
              onRow={(o) => (needsAttention(o.state) ? { style: { background: '#fff1f0' }, 'data-attention': 'true' } as object : {})}
              columns={[
                { title: t('exchange.createdAt'), key: 'created', width: 140, responsive: NOT_ON_PHONE, render: (_, o) => formatDateTime(o.created_at) },
                { title: t('exchange.to'), key: 'to', render: (_, o) => agencyName(peers, o.to) },
                {
                  title: t('exchange.kind'), key: 'kind', width: 200, responsive: NOT_ON_PHONE,
                  render: (_, o) => (o.kind === 'status'
                    ? <span>{t('exchange.kind.status')} <ExchangeStatusTag code={o.code} /></span>
                    : o.kind === 'package' ? t('exchange.kind.package') : o.kind),
                },
                {
                  title: t('exchange.document'), key: 'doc', width: 230,
                  render: (_, o) => (o.document_id
                    ? <DocLink id={o.document_id} text={o.edxml_id || undefined} />
                    : o.edxml_id || '—'),
                },
                { title: t('exchange.size'), key: 'size', width: 90, responsive: NOT_ON_PHONE, render: (_, o) => formatSize(o.size) },
                {
                  title: t('exchange.delivery'), key: 'state', width: 320,
                  render: (_, o) => (
                    <Space orientation="vertical" size={0}>
                      <span>
                        <DeliveryTag state={o.state} />
                        {o.state === 'delivered' && o.done_at ? formatDateTime(o.done_at) : ''}
                      </span>
                      {o.state !== 'delivered' && o.attempts > 0 && (
                        <Typography.Text type={needsAttention(o.state) ? 'danger' : 'secondary'}>
                          {t('exchange.attempts', { count: o.attempts })}
                          {o.state === 'pending' && o.next_attempt_at ? ` · ${t('exchange.nextAttempt', { time: formatDateTime(o.next_attempt_at) })}` : ''}
                        </Typography.Text>
                      )}
                      {o.state !== 'delivered' && o.last_error && (
                        <Typography.Text type={needsAttention(o.state) ? 'danger' : 'secondary'}>{o.last_error}</Typography.Text>
                      )}
                    </Space>
                  ),
                },
              ]} />
          </ScrollBox>
          {list.hasMore && <Button onClick={() => void list.loadMore()}>{t('common.loadMore')}</Button>}
        </Space>
      </Card>
    </Space>
  );
}

// Nhập tệp edXML: the raw file goes to POST /exchange/import; the new
// incoming document opens.
function ImportEdxml() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const send = async (file: File) => {
    setBusy(true);
    setError('');
    try {
      const doc = await upload<Doc>('/exchange/import', file);
      message.success(t('exchange.importedDoc', { document: docReference(doc) }));
      navigate(`/documents/${doc.id}`);
    } catch (e) {
      // A refused file names its reason (FORMAT, SIGNATURE_INVALID, ...) as
      // the field problem's code: said by name where there is one.
      const { message: text, fields } = explain(e, t);
      const problems = e instanceof ApiError ? e.problem.errors || [] : [];
      const said = fields.map((f, i) => {
        const key = reasonLabel(problems[i]?.code);
        return key ? t(key) : f.message;
      });
      setError([text, ...said].join(' '));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('exchange.import')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('exchange.importHint')}</Typography.Text>
        {error && <Alert type="error" showIcon role="alert" title={error} />}
        <Upload accept=".edxml,.xml,.eml,.mime" showUploadList={false}
          beforeUpload={(f) => { void send(f); return false; }}>
          <Button icon={<UploadOutlined />} loading={busy}>{t('exchange.import')}</Button>
        </Upload>
      </Space>
    </Card>
  );
}
