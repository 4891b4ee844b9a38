import { useEffect, useMemo, useRef, useState } from 'react';
import type { Dayjs } from 'dayjs';
import { Alert, Button, Card, Form, Select, Space, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { get, post } from '../../app/api';
import type { AuditHead, AuditRecord, Verification } from './types';
import type { Page } from '../../app/api-types';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { usePaged } from '../../app/usePaged';
import { useQuery } from '../../app/useQuery';
import { describe } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { unitName } from '../../shared/units';
import { usePeopleSearch } from '../org/people';
import { DatePicker } from '../../shared/DatePicker';
import { isoDateOf } from '../../shared/today';
import { docReference } from '../documents/labels';
import type { Doc } from '../documents/types';
import { actionLabel, AUDIT_ACTIONS, documentNames, OBJECT_TYPES, objectTypeLabel, ownName } from './audit';

interface Filter {
  object_type?: string;
  object_id?: number;
  actor_id?: number;
  action?: string;
  from?: string;
  to?: string;
}

interface FilterForm {
  object_type?: string;
  document_id?: number;
  actor_id?: number;
  action?: string;
  from?: Dayjs | null;
  to?: Dayjs | null;
}

// The security officer's view of the audit log: newest first, filtered on
// the server by who, what and on which kind of object, and a check of the
// whole Merkle chain on demand. Actions, objects and people are in words;
// the record itself (what the chain hashes) unfolds under each row.
export default function Audit() {
  const { t } = useI18n();
  const { units, personName, loadPeople } = useSession();
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
  useEffect(() => loadPeople(list.items.flatMap((r) => [r.actor_id, r.object_type === 'user' ? r.object_id : null])),
    [list.items, loadPeople]);
  const documents = useMemo(() => documentNames(list.items), [list.items]);

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

  // The object by name: a document by its number (else subject) and linked,
  // a person or unit by name, others by what their record calls them.
  const objectOf = (r: AuditRecord) => {
    const kind = objectTypeLabel(t, r.object_type);
    if (!r.object_id) return kind;
    switch (r.object_type) {
      case 'document':
        return <Link to={`/documents/${r.object_id}`}>{documents.get(r.object_id) ?? `${kind} (${t('doc.linked')})`}</Link>;
      case 'user': return `${kind}: ${personName(r.object_id)}`;
      case 'unit': return `${kind}: ${unitName(units, r.object_id)}`;
      default: {
        const name = ownName(r);
        return name ? `${kind}: ${name}` : kind;
      }
    }
  };

  const failure = error || headError || list.error;
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
      <Space orientation="vertical" style={{ width: '100%' }}>
        {verification && (
          <Alert role="status" showIcon type={verification.ok ? 'success' : 'error'}
            title={verification.ok
              ? t('audit.verifyOk', { size: verification.tree_size, root: verification.root })
              : t('audit.verifyBad', { seq: verification.first_bad_seq ?? '?', problem: verification.problem ?? '' })} />
        )}
        {failure ? <Alert type="error" showIcon title={describe(failure, t)} /> : null}
        <AuditFilters onFilter={setFilter} />
        <Table<AuditRecord> size="small" rowKey="seq" pagination={false} loading={list.loading} dataSource={list.items}
          expandable={{
            expandedRowRender: (r) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}><code>{JSON.stringify(r.record, null, 2)}</code></pre>,
          }}
          columns={[
            { title: t('audit.seq'), dataIndex: 'seq', width: 80 },
            { title: t('audit.at'), key: 'at', width: 150, render: (_, r) => formatDateTime(r.at) },
            { title: t('audit.actor'), key: 'actor', width: 200, render: (_, r) => (r.actor_id ? personName(r.actor_id) : t('audit.system')) },
            { title: t('audit.action'), key: 'action', width: 220, render: (_, r) => actionLabel(t, r.action, r.object_type) },
            { title: t('audit.object'), key: 'object', render: (_, r) => objectOf(r) },
          ]} />
        {list.hasMore && <Button onClick={() => void list.loadMore()}>{t('common.loadMore')}</Button>}
      </Space>
    </Card>
  );
}

// Documents whose number/symbol or subject holds what is typed (the ones the
// officer may see), as options named as people name them.
function useDocumentSearch() {
  const [options, setOptions] = useState<{ value: number; label: string }[]>([]);
  const latest = useRef(0);
  const search = (q: string) => {
    const asked = ++latest.current;
    if (!q.trim()) return setOptions([]);
    get<Page<Doc>>('/documents', { q: q.trim(), limit: 20 })
      .then((r) => {
        if (asked === latest.current) setOptions(r.items.map((d) => ({ value: d.id, label: `${docReference(d)} · ${d.subject}` })));
      })
      .catch(() => undefined);
  };
  return { options, search };
}

// When (Vietnam days), who (a person from the directory), what (an action by
// its name) and on which object (a kind, or one document found by its
// number or subject): the server filters.
function AuditFilters({ onFilter }: { onFilter: (f: Filter) => void }) {
  const { t } = useI18n();
  const people = usePeopleSearch();
  const documents = useDocumentSearch();
  const actions = useMemo(() => AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(t, a) }))
    .sort((a, b) => a.label.localeCompare(b.label, 'vi')), [t]);
  return (
    <Form layout="inline" name="audit-filter" onFinish={(v: FilterForm) => onFilter({
      object_type: v.document_id ? 'document' : v.object_type || undefined,
      object_id: v.document_id || undefined,
      actor_id: v.actor_id || undefined,
      action: v.action || undefined,
      from: v.from ? isoDateOf(v.from) : undefined,
      to: v.to ? isoDateOf(v.to) : undefined,
    })}>
      <Form.Item name="from" label={t('books.from')}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="to" label={t('books.to')}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="actor_id" label={t('audit.actor')}>
        <Select showSearch allowClear filterOption={false} onSearch={people.search} options={people.options}
          placeholder={t('audit.anyone')} style={{ width: 240 }} />
      </Form.Item>
      <Form.Item name="action" label={t('audit.action')}>
        <Select showSearch allowClear optionFilterProp="label" options={actions} placeholder={t('audit.allActions')} style={{ width: 240 }} />
      </Form.Item>
      <Form.Item name="object_type" label={t('audit.objectType')}>
        <Select allowClear placeholder={t('audit.allObjects')} style={{ width: 200 }}
          options={OBJECT_TYPES.map((o) => ({ value: o, label: objectTypeLabel(t, o) }))} />
      </Form.Item>
      <Form.Item name="document_id" label={t('audit.object.document')}>
        <Select showSearch allowClear filterOption={false} onSearch={documents.search} options={documents.options}
          placeholder={t('audit.findDocument')} style={{ width: 280 }} notFoundContent={null} />
      </Form.Item>
      <Button htmlType="submit">{t('books.filter')}</Button>
    </Form>
  );
}
