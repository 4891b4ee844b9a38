import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../app/i18n';
import { describe } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { get } from '../../app/api';
import type { Page } from '../../app/api-types';
import { usePaged } from '../../app/usePaged';
import { usePeers } from './usePeers';
import { agencyName, formatSize, reasonLabel, type QuarantineItem } from './exchange';
import { NOT_ON_PHONE } from '../../shared/screen';
import { ScrollBox } from '../../shared/ScrollBox';

// Cách ly (security officer): packages the peer listener refused on arrival,
// newest first, with the reason, who claimed to send it and who the TLS
// client really was.
export default function Quarantine() {
  const { t } = useI18n();
  const peers = usePeers();
  const list = usePaged<QuarantineItem>(
    (cursor, signal) => get<Page<QuarantineItem>>('/exchange/quarantine', { cursor, limit: 100 }, signal), 'quarantine');
  const { items, loading, error, reload } = list;

  const reason = (code: string) => {
    const key = reasonLabel(code);
    return key ? t(key) : code;
  };

  return (
    <Card size="small" title={t('exchange.quarantine')} data-testid="quarantine"
      extra={<Button onClick={() => void reload()}>{t('common.reload')}</Button>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('exchange.quarantineHint')}</Typography.Text>
        {error ? <Alert type="error" showIcon title={describe(error, t)} /> : null}
        <ScrollBox label={t('exchange.quarantine')}>
          <Table<QuarantineItem> size="small" rowKey="id" loading={loading} dataSource={items}
            pagination={{ pageSize: 50, hideOnSinglePage: true }} locale={{ emptyText: t('exchange.emptyQuarantine') }}
            columns={[
              { title: t('exchange.receivedAt'), key: 'at', width: 140, render: (_, q) => formatDateTime(q.received_at) },
              {
                title: t('exchange.reason'), key: 'reason', width: 260,
                render: (_, q) => (
  <Tag color="red">{reason(q.reason)}</Tag>
                ),
              },
              { title: t('exchange.claimedSender'), key: 'sender', render: (_, q) => (q.claimed_sender ? agencyName(peers, q.claimed_sender) : '—') },
              { title: t('exchange.tlsSubject'), key: 'tls', responsive: NOT_ON_PHONE, render: (_, q) => q.tls_subject || '—' },
              { title: t('audit.details'), dataIndex: 'message', key: 'message', responsive: NOT_ON_PHONE },
              {
                title: t('exchange.size'), key: 'size', width: 150, responsive: NOT_ON_PHONE,
                render: (_, q) => (
                  <Space orientation="vertical" size={0}>
                    <span>{formatSize(q.size)}</span>
                    {q.sha256 && <Typography.Text type="secondary" copyable={{ text: q.sha256 }}>{q.sha256.slice(0, 12)}…</Typography.Text>}
                  </Space>
                ),
              },
            ]} />
        </ScrollBox>
        {list.hasMore && <Button onClick={() => void list.loadMore()}>{t('common.loadMore')}</Button>}
      </Space>
    </Card>
  );
}
