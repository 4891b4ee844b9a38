import { Alert, Button, Card, Space, Table, Tag, Timeline, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { get } from '../../app/api';
import { tKey, useI18n } from '../../app/i18n';
import { useQuery } from '../../app/useQuery';
import type { DocDetail } from '../documents/types';
import { formatDateTime } from '../../shared/format';
import {
  deliveryColor, deliveryLabel, edxmlUrl, newestFirst, showsTrouble, statusColor, statusLabel,
  type ExchangeRecipient,
} from './exchange';
import { NOT_ON_PHONE } from '../../shared/screen';
import { ScrollBox } from '../../shared/ScrollBox';

// Delivery of our package: Đang gửi (blue), Đã gửi (green), Bị từ chối
// (red), Gửi không thành công (volcano).
export function DeliveryTag({ state }: { state: string }) {
  const { t } = useI18n();
  const key = deliveryLabel(state);
  return <Tag color={deliveryColor(state)}>{key ? t(key) : state}</Tag>;
}

// A QCVN 102 status code with its name: "03" → Đã tiếp nhận.
export function ExchangeStatusTag({ code }: { code: string }) {
  const { t } = useI18n();
  const key = statusLabel(code);
  return <Tag color={statusColor(code)}>{key ? t(key) : code}</Tag>;
}

function History({ recipient }: { recipient: ExchangeRecipient }) {
  const { t } = useI18n();
  if (recipient.history.length === 0) return <Typography.Text type="secondary">{t('exchange.noStatus')}</Typography.Text>;
  return (
    <Timeline style={{ marginTop: 8, marginBottom: -16 }} items={newestFirst(recipient.history).map((h) => ({
      color: statusColor(h.code) === 'default' ? 'gray' : statusColor(h.code),
      children: (
        <span>
          <Typography.Text type="secondary">{t(`exchange.dir.${h.direction}`)} · </Typography.Text>
          <strong>{statusLabel(h.code) ? t(statusLabel(h.code)!) : h.code}</strong>
          {h.description ? ` · ${h.description}` : ''} · {formatDateTime(h.at)}
        </span>
      ),
    }))} />
  );
}

// Liên thông: each other agency of the document — for an outgoing document
// the delivery of our package and the recipient's latest status, for a copy
// we received the sender and what we told it; the history unfolds per row.
// A copy whose sender asks to recall it shows the request with the answers
// (`actions`, already filtered for the person's roles).
export function ExchangeCard({ doc, actions, busy, onAction }: {
  doc: DocDetail; actions: string[]; busy: boolean; onAction: (name: string) => void;
}) {
  const { t } = useI18n();
  // Asked again whenever the document changes (an action, a status arriving).
  const query = useQuery(`exchange:${doc.id}:${doc.version}:${doc.state}`, (signal) =>
    get<{ items: ExchangeRecipient[] }>(`/documents/${doc.id}/exchange`, undefined, signal), { keep: true });
  const items = query.error ? [] : query.data?.items ?? null;

  const recall = doc.state === 'recall_requested';
  if (!items || (items.length === 0 && !recall && !(doc.recipient_agency_codes?.length))) return null;
  const incoming = doc.direction === 'incoming';
  const request = items.flatMap((r) => r.history).filter((h) => h.direction === 'in' && h.code === '13').pop();

  return (
    <Card size="small" title={t('exchange.card')} data-testid="exchange"
      extra={incoming && items.length > 0 ? (
        <Button size="small" icon={<DownloadOutlined />} href={edxmlUrl(doc.id)}>{t('exchange.downloadReceived')}</Button>
      ) : undefined}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {recall && (
          <Alert type="warning" showIcon title={t('exchange.recallRequested')}
            description={request?.description || undefined}
            action={
              <Space orientation="vertical">
                {actions.map((a) => (
                  <Button key={a} size="small" loading={busy} danger={a === 'refuse_recall'}
                    type={a === 'agree_recall' ? 'primary' : 'default'} onClick={() => onAction(a)}>
                    {tKey(t, `action.${a}`)}
                  </Button>
                ))}
              </Space>
            } />
        )}
        <ScrollBox label={t('exchange.card')}>
          <Table<ExchangeRecipient> size="small" rowKey="agency_code" pagination={false} dataSource={items}
            expandable={{ expandedRowRender: (r) => <History recipient={r} />, rowExpandable: () => true }}
            columns={[
              {
                title: t('exchange.agency'), key: 'agency',
                render: (_, r) => (
                  <Space orientation="vertical" size={0}>
                    <strong>{r.name || r.agency_code}</strong>
                    <Typography.Text type="secondary" code>{r.agency_code}</Typography.Text>
                  </Space>
                ),
              },
              ...(incoming ? [] : [{
                title: t('exchange.delivery'), key: 'delivery', width: 260,
                render: (_: unknown, r: ExchangeRecipient) => (
                  <Space orientation="vertical" size={0}>
                    {r.delivery ? <DeliveryTag state={r.delivery} /> : <Typography.Text type="secondary">{t('exchange.notSent')}</Typography.Text>}
                    {showsTrouble(r) && (
                      <Typography.Text type={r.delivery === 'pending' ? 'secondary' : 'danger'}>
                        {t('exchange.attempts', { count: r.attempts })}{r.last_error ? ` · ${r.last_error}` : ''}
                      </Typography.Text>
                    )}
                  </Space>
                ),
              }]),
              {
                title: t('exchange.status'), key: 'status',
                render: (_, r) => (r.status ? (
                  <Space orientation="vertical" size={0}>
                    <span><ExchangeStatusTag code={r.status} /> {formatDateTime(r.status_at)}</span>
                    {r.status_description && <Typography.Text type="secondary">{r.status_description}</Typography.Text>}
                  </Space>
                ) : <Typography.Text type="secondary">{t('exchange.noStatus')}</Typography.Text>),
              },
              ...(incoming ? [] : [{
                title: '', key: 'download', width: 150, responsive: NOT_ON_PHONE,
                render: (_: unknown, r: ExchangeRecipient) => (r.delivery ? (
                  <Button size="small" icon={<DownloadOutlined />} href={edxmlUrl(doc.id, r.agency_code)}>
                    {t('exchange.downloadSent')}
                  </Button>
                ) : null),
              }]),
            ]} />
        </ScrollBox>
      </Space>
    </Card>
  );
}
