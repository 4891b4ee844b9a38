import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Flex, Input, Modal, Select, Space, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import { get, upload } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { usePaged } from '../../app/usePaged';
import { useQuery } from '../../app/useQuery';
import { DatePicker } from '../../shared/DatePicker';
import { describe } from '../../shared/errors';
import { formatDate } from '../../shared/format';
import { NOT_ON_PHONE, useScreen } from '../../shared/screen';
import { ScrollBox } from '../../shared/ScrollBox';
import { dayOf, isoDateOf } from '../../shared/today';
import { StatusTag } from './parts';
import {
  facetValueLabel, importFailure, legalFacetTitle, legalFiltered, legalFiltersFrom, legalHref, searchOfLegalFilters,
  type LegalFilters,
} from './search';
import type { ImportResult, LegalDocument, LegalFacetName, LegalFacets, LegalPage } from './types';
import './search.css';

// The legal-documents database (/legal): every signed-in person may read
// it. Filters (type, issuer, field, validity, year, in force on a day, and
// words) live in the URL; an administrator or clerk imports files into it.
export default function LegalList() {
  const { t } = useI18n();
  const { has } = useSession();
  const screen = useScreen();
  const narrow = screen !== 'desktop';
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const f = useMemo(() => legalFiltersFrom(new URLSearchParams(search)), [search]);
  const key = searchOfLegalFilters(f).toString();
  const update = (next: Partial<LegalFilters>) => setParams(searchOfLegalFilters({ ...f, ...next }));
  const [text, setText] = useState(f.q ?? '');
  useEffect(() => setText(f.q ?? ''), [f.q]);
  const [importing, setImporting] = useState(false);

  const list = usePaged<LegalDocument>(
    (cursor, signal) => get<LegalPage>('/legal/documents', { ...f, cursor, limit: 50 }, signal),
    key,
  );
  const facets = useQuery('legal/facets', (signal) => get<LegalFacets>('/legal/facets', undefined, signal), { keep: true });

  const facetSelect = (name: Exclude<LegalFacetName, 'status'>, width: number) => {
    const label = legalFacetTitle(t, name);
    return (
      <Select key={name} aria-label={label} placeholder={label} allowClear showSearch optionFilterProp="label"
        style={{ width: narrow ? 'calc(50% - 4px)' : width }} value={f[name]}
        options={(facets.data?.[name] ?? []).map((v) => ({ value: v.value, label: `${facetValueLabel(t, name, v)} (${v.count})` }))}
        onChange={(v?: string) => update({ [name]: v || undefined })} />
    );
  };
  const statusCounts = new Map((facets.data?.status ?? []).map((v) => [v.value, v.count]));

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('legal.title')}</Typography.Title>
        <Space wrap>
          <Input.Search aria-label={t('legal.search')} placeholder={t('legal.search')} allowClear value={text} maxLength={500}
            onChange={(e) => setText(e.target.value)} onSearch={(v) => update({ q: v.trim() || undefined })}
            style={{ width: narrow ? '100%' : 360 }} />
          {has('administrator', 'clerk') && (
            <Button icon={<UploadOutlined aria-hidden />} onClick={() => setImporting(true)}>{t('legal.import')}</Button>
          )}
        </Space>
      </Flex>
      <Flex gap={8} wrap align="center">
        {facetSelect('type', 180)}
        {facetSelect('issuer', 220)}
        {facetSelect('field', 200)}
        <Select aria-label={t('legal.status')} placeholder={t('legal.status')} allowClear style={{ width: narrow ? 'calc(50% - 4px)' : 200 }}
          value={f.status}
          options={(['not_yet_in_force', 'in_force', 'partly_expired', 'expired'] as const).map((s) => ({
            value: s,
            label: `${facetValueLabel(t, 'status', { value: s, label: '', count: 0 })}${statusCounts.has(s) ? ` (${statusCounts.get(s)})` : ''}`,
          }))}
          onChange={(v?: LegalFilters['status']) => update({ status: v || undefined })} />
        {facetSelect('year', 130)}
        <DatePicker aria-label={t('legal.on')} placeholder={t('legal.on')} style={{ width: narrow ? 'calc(50% - 4px)' : 170 }}
          value={f.on ? dayOf(f.on) : null}
          onChange={(d) => update({ on: d && !Array.isArray(d) ? isoDateOf(d) : undefined })} />
        {legalFiltered(f) && <Button onClick={() => setParams(searchOfLegalFilters({ q: f.q }))}>{t('filter.clear')}</Button>}
      </Flex>
      {list.error || facets.error ? <Alert type="error" showIcon title={describe(list.error || facets.error, t)} /> : null}
      <ScrollBox label={t('legal.list')}>
        <Table<LegalDocument> size="small" rowKey="id" pagination={false} loading={list.loading} dataSource={list.items}
          locale={{ emptyText: t('legal.empty') }}
          columns={[
            { key: 'number', title: t('doc.numberSymbol'), width: 150, render: (_, d) => <Link to={legalHref(d.id)}>{d.number_symbol || t('common.none')}</Link> },
            { key: 'title', title: t('legal.name'), render: (_, d) => <Link to={legalHref(d.id)} tabIndex={-1}>{d.title}</Link> },
            { key: 'type', title: t('doc.type'), width: 120, responsive: NOT_ON_PHONE, render: (_, d) => d.type_name },
            { key: 'issuer', title: t('doc.issuer'), width: 180, responsive: NOT_ON_PHONE, render: (_, d) => d.issuer },
            { key: 'signed', title: t('legal.signedDate'), width: 110, responsive: NOT_ON_PHONE, render: (_, d) => formatDate(d.signed_date) },
            { key: 'effective', title: t('legal.effectiveDate'), width: 110, responsive: NOT_ON_PHONE, render: (_, d) => formatDate(d.effective_date) },
            { key: 'status', title: t('legal.status'), width: 150, render: (_, d) => <StatusTag status={d.status} /> },
          ]} />
      </ScrollBox>
      {list.hasMore && <Button onClick={() => void list.loadMore()} loading={list.loading}>{t('common.loadMore')}</Button>}
      {importing && <ImportDialog onClose={() => setImporting(false)} onDone={() => {
        void list.reload();
        void facets.reload();
      }} />}
    </Space>
  );
}

// Chooses one file and sends it raw to POST /legal/import; says what came
// in, or what is wrong with the file (the dialog stays open).
function ImportDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState<ImportResult | null>(null);
  const send = async () => {
    if (!file) {
      setError(t('legal.importNoFile'));
      return;
    }
    setBusy(true);
    setError('');
    setDone(null);
    try {
      const r = await upload<ImportResult>('/legal/import', file, { file_name: file.name });
      setDone(r);
      message.success(t('legal.importDone', { documents: r.documents, articles: r.articles }));
      onDone();
    } catch (e) {
      setError(`${t('legal.importFailed')} ${importFailure(e, t)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('legal.importTitle')} onCancel={onClose} destroyOnHidden
      footer={[
        <Button key="close" onClick={onClose}>{done ? t('common.back') : t('common.cancel')}</Button>,
        <Button key="send" type="primary" loading={busy} onClick={() => void send()}>{t('legal.importSubmit')}</Button>,
      ]}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('legal.importHelp')}</Typography.Text>
        <Upload accept=".json,.csv,.txt,.pdf,.docx" maxCount={1}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          beforeUpload={(f) => {
            setFile(f);
            setError('');
            setDone(null);
            return false;
          }}
          onRemove={() => setFile(null)}>
          <Button icon={<UploadOutlined aria-hidden />}>{t('legal.importFile')}</Button>
        </Upload>
        {error && <Alert type="error" showIcon role="alert" title={error} />}
        {done && <Alert type="success" showIcon role="status"
          title={t('legal.importDone', { documents: done.documents, articles: done.articles })} />}
      </Space>
    </Modal>
  );
}
