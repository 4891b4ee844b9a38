import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Space, Table, Typography } from 'antd';
import { get, post } from '../../app/api';
import type { AuditHead, AuditRecord, Verification } from './types';
import type { Page } from '../../app/api-types';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { usePaged } from '../../app/usePaged';
import { useQuery } from '../../app/useQuery';
import { explain } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';

interface Filter {
  object_type?: string;
  object_id?: number;
  actor_id?: number;
  action?: string;
}

// The security officer's view of the audit log: newest first, filtered on
// the server, and a check of the whole Merkle chain on demand.
export default function Audit() {
  const { t } = useI18n();
  const { personName, loadPeople } = useSession();
  const [filter, setFilter] = useState<Filter>({});
  const [verification, setVerification] = useState<Verification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const list = usePaged<AuditRecord>(
    (cursor, signal) => get<Page<AuditRecord>>('/audit', { ...filter, cursor, limit: 100 }, signal),
    JSON.stringify(filter),
  );
  const { data: head, error: headError } = useQuery('audit/head', (signal) =>
    get<AuditHead>('/audit/head', undefined, signal));
  useEffect(() => loadPeople(list.items.map((r) => r.actor_id)), [list.items, loadPeople]);

  const verify = async () => {
    setVerifying(true);
    setError(null);
    try {
      setVerification(await post<Verification>('/audit/verify'));
    } catch (e) {
      setError(e);
    } finally {
      setVerifying(false);
    }
  };
  const onFilter = (v: Filter) => {
    const clean: Filter = {};
    if (v.object_type?.trim()) clean.object_type = v.object_type.trim();
    if (v.action?.trim()) clean.action = v.action.trim();
    if (v.object_id) clean.object_id = v.object_id;
    if (v.actor_id) clean.actor_id = v.actor_id;
    setFilter(clean);
  };

  return (
    <Card size="small" title={t('audit.title')}
      extra={
        <Space>
          {head && <Typography.Text type="secondary" copyable={{ text: head.root }}>
            {head.tree_size} · {head.root.slice(0, 16)}…
          </Typography.Text>}
          <Button type="primary" onClick={() => void verify()} loading={verifying}>{t('audit.verify')}</Button>
        </Space>
      }>
      <Space direction="vertical" style={{ width: '100%' }}>
        {verification && (
          <Alert role="status" showIcon type={verification.ok ? 'success' : 'error'}
            message={verification.ok
              ? t('audit.verifyOk', { size: verification.tree_size, root: verification.root })
              : t('audit.verifyBad', { seq: verification.first_bad_seq ?? '?', problem: verification.problem ?? '' })} />
        )}
        {(error || headError || list.error) ? <Alert type="error" showIcon message={explain(error || headError || list.error, t).message} /> : null}
        <Form layout="inline" onFinish={onFilter}>
          <Form.Item name="object_type" label={t('audit.objectType')}><Input allowClear style={{ width: 140 }} /></Form.Item>
          <Form.Item name="object_id" label={t('audit.objectId')}><InputNumber min={1} style={{ width: 110 }} /></Form.Item>
          <Form.Item name="actor_id" label={t('audit.actor')}><InputNumber min={1} style={{ width: 110 }} /></Form.Item>
          <Form.Item name="action" label={t('audit.action')}><Input allowClear style={{ width: 180 }} /></Form.Item>
          <Button htmlType="submit">{t('books.filter')}</Button>
        </Form>
        <Table<AuditRecord> size="small" rowKey="seq" pagination={false} loading={list.loading} dataSource={list.items}
          expandable={{
            expandedRowRender: (r) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}><code>{JSON.stringify(r.record, null, 2)}</code></pre>,
          }}
          columns={[
            { title: t('audit.seq'), dataIndex: 'seq', width: 80 },
            { title: t('audit.at'), key: 'at', width: 150, render: (_, r) => formatDateTime(r.at) },
            { title: t('audit.actor'), key: 'actor', width: 200, render: (_, r) => (r.actor_id ? personName(r.actor_id) : 'system') },
            { title: t('audit.action'), dataIndex: 'action', width: 200 },
            { title: t('audit.object'), key: 'object', render: (_, r) => `${r.object_type}${r.object_id ? ` #${r.object_id}` : ''}` },
          ]} />
        {list.hasMore && <Button onClick={() => void list.loadMore()}>{t('common.loadMore')}</Button>}
      </Space>
    </Card>
  );
}
