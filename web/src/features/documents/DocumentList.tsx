import { useState } from 'react';
import { Alert, Button, Input, Space, Table, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { get } from '../../app/api';
import type { Doc } from './types';
import type { Page } from '../../app/api-types';
import { useI18n, type MessageKey } from '../../app/i18n';
import { usePaged } from '../../app/usePaged';
import { formatDate } from '../../shared/format';
import { deadlineStatus } from './deadline';
import { useDueSoonWindow } from '../../shared/calendar';
import { describe } from '../../shared/errors';
import { useSession } from '../../app/session';
import { unitName } from '../../shared/units';
import { ClassificationTag, StateTag, UrgencyTag } from './Tags';

export type Box = 'all' | 'drafts' | 'awaiting_approval' | 'awaiting_assignment' | 'inbox' | 'outgoing' | 'incoming';

const TITLES: Record<Box, MessageKey> = {
  all: 'menu.all', drafts: 'menu.drafts', awaiting_approval: 'menu.awaitingApproval',
  awaiting_assignment: 'menu.awaitingAssignment', inbox: 'menu.inbox', outgoing: 'menu.outgoing',
  incoming: 'menu.incoming',
};

const ROW_COLORS = { overdue: '#fff1f0', due_soon: '#fff7e6', normal: undefined };

// One box of documents, paginated on the server. The inbox is sorted by
// deadline (earliest first); every other box newest first.
export default function DocumentList({ box }: { box: Box }) {
  const { t } = useI18n();
  const { units } = useSession();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const window = useDueSoonWindow();
  const list = usePaged<Doc>(
    (cursor, signal) => get<Page<Doc>>('/documents', {
      box, q, cursor, limit: 50, sort: box === 'inbox' ? 'deadline' : undefined,
    }, signal),
    `${box}|${q}`,
  );
  const open = (d: Doc) => navigate(`/documents/${d.id}`);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{t(TITLES[box])}</Typography.Title>
        <Input.Search
          aria-label={t('doc.search')}
          placeholder={t('doc.search')}
          allowClear
          onSearch={(v) => setQ(v.trim())}
          style={{ width: 360 }}
          maxLength={200}
        />
      </Space>
      {list.error ? <Alert type="error" showIcon message={describe(list.error, t)} /> : null}
      <Table<Doc>
        size="small"
        rowKey="id"
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        locale={{ emptyText: t('doc.empty') }}
        onRow={(d) => {
          const status = deadlineStatus(d.deadline, d.state, window.today, window.until);
          return {
            tabIndex: 0,
            onDoubleClick: () => open(d),
            onKeyDown: (e) => { if (e.key === 'Enter') open(d); },
            style: { background: ROW_COLORS[status], cursor: 'pointer' },
            'data-deadline': status,
          } as React.HTMLAttributes<HTMLElement>;
        }}
        columns={[
          {
            title: t('doc.numberSymbol'), key: 'number', width: 170,
            render: (_, d) => d.direction === 'outgoing'
              ? d.number_symbol || t('common.none')
              : <>{d.arrival_number ? <strong>{d.arrival_number}</strong> : null}{d.arrival_number ? ' · ' : ''}{d.original_number_symbol}</>,
          },
          {
            title: t('doc.subject'), key: 'subject',
            render: (_, d) => (
              <Space size={4} wrap>
                <Link to={`/documents/${d.id}`}>{d.subject}</Link>
                <UrgencyTag urgency={d.urgency} />
                <ClassificationTag classification={d.classification} />
              </Space>
            ),
          },
          {
            title: t('doc.issuer'), key: 'from', width: 200,
            render: (_, d) => d.direction === 'incoming' ? d.issuer_name : unitName(units, d.unit_id),
          },
          {
            title: t('doc.date'), key: 'date', width: 110,
            render: (_, d) => formatDate(d.issued_date || d.arrival_date || d.original_date || d.created_at),
          },
          {
            title: t('doc.deadline'), key: 'deadline', width: 170,
            render: (_, d) => {
              const status = deadlineStatus(d.deadline, d.state, window.today, window.until);
              return (
                <span style={{ color: status === 'overdue' ? '#cf1322' : status === 'due_soon' ? '#d46b08' : undefined }}>
                  {formatDate(d.deadline)}
                  {status !== 'normal' ? ` · ${t(status === 'overdue' ? 'doc.overdue' : 'doc.dueSoon')}` : ''}
                </span>
              );
            },
          },
          { title: t('doc.state'), key: 'state', width: 130, render: (_, d) => <StateTag state={d.state} /> },
        ]}
      />
      {list.hasMore && (
        <Button onClick={() => void list.loadMore()} loading={list.loading}>{t('common.loadMore')}</Button>
      )}
    </Space>
  );
}
