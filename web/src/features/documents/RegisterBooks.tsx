import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Form, Input, Select, Space, Table, TreeSelect } from 'antd';
import type { Dayjs } from 'dayjs';
import { PrinterOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { get, withQuery } from '../../app/api';
import type { RegisterBook, RegisterBookPage, RegisterEntry } from './types';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { usePaged } from '../../app/usePaged';
import { useQuery } from '../../app/useQuery';
import { formatDate } from '../../shared/format';
import { describe } from '../../shared/errors';
import { unitName, unitTree } from '../../shared/units';
import { IndicationTag } from '../signatures/Signatures';
import { docTypeName } from './labels';
import { RangePicker } from '../../shared/DatePicker';
import { StateTag } from './Tags';
import { isoDateOf } from '../../shared/today';
import { PRINT_NOW } from '../../shared/PrintView';
import { NOT_ON_PHONE } from '../../shared/screen';
import { ScrollBox } from '../../shared/ScrollBox';
import { bookPrintPath, type BookFilter } from './print';

// Sổ đăng ký văn bản đến / đi: a unit's books, one book's entries in number
// order with filters, and the same selection exported as CSV or XLSX or
// printed in the layout of Decree 30 (BookPrint.tsx).
export default function RegisterBooks() {
  const { t } = useI18n();
  const { user, units } = useSession();
  const navigate = useNavigate();
  const [unitId, setUnitId] = useState<number | undefined>(user?.unit_id);
  const [bookId, setBookId] = useState<number>();
  const [filter, setFilter] = useState<BookFilter>({});
  const tree = useMemo(() => unitTree(units), [units]);

  // The unit's books, newest year first; choosing a unit opens its first book.
  const booksQuery = useQuery(unitId ? `register-books:${unitId}` : null, async (signal) => {
    const r = await get<{ items: RegisterBook[] }>('/register-books', { unit_id: unitId }, signal);
    return [...r.items].sort((a, b) => b.year - a.year || a.kind.localeCompare(b.kind));
  }, { keep: true });
  const { error } = booksQuery;
  const books = useMemo(() => booksQuery.data ?? [], [booksQuery.data]);
  useEffect(() => setBookId(books[0]?.id), [books]);

  const book = books.find((b) => b.id === bookId);
  const entries = usePaged<RegisterEntry>(
    (cursor, signal) => (bookId ? get<RegisterBookPage>(`/register-books/${bookId}/entries`, { ...filter, cursor, limit: 100 }, signal)
      : Promise.resolve({ items: [], next_cursor: null })),
    `${bookId}|${filter.q}|${filter.from}|${filter.to}`,
  );

  const onFilter = (v: { q?: string; range?: [Dayjs | null, Dayjs | null] }) => {
    setFilter({
      q: v.q?.trim() || undefined,
      from: v.range?.[0] ? isoDateOf(v.range[0]) : undefined,
      to: v.range?.[1] ? isoDateOf(v.range[1]) : undefined,
    });
  };
  const exportUrl = (format: string) => withQuery(`/api/v1/register-books/${bookId}/export`, { format, ...filter });
  const bookLabel = (b: RegisterBook) => t(b.kind === 'incoming' ? 'books.incoming' : 'books.outgoing', { year: b.year });

  const signatureColumn = {
    title: t('sig.title'), key: 'sig', width: 130,
    render: (_: unknown, d: RegisterEntry) => <IndicationTag indication={d.signature} empty={t('common.none')} />,
  };
  // "Ghi chú": a withdrawn entry is marked (with why), then the clerk's
  // remarks — as the export's column says it.
  const remarksColumn = {
    title: t('doc.notes'), key: 'notes', width: 220,
    render: (_: unknown, d: RegisterEntry) => (
      <>
        {d.state === 'recalled' && (
          <div data-testid="withdrawn"><StateTag state={d.state} />{d.return_reason ? ` ${d.return_reason}` : ''}</div>
        )}
        {d.notes ? <div style={{ whiteSpace: 'pre-line' }}>{d.notes}</div> : null}
      </>
    ),
  };
  const incomingColumns = [
    { title: t('doc.arrivalNumber'), dataIndex: 'arrival_number', width: 80 },
    { title: t('doc.arrivalDate'), key: 'ad', width: 100, responsive: NOT_ON_PHONE, render: (_: unknown, d: RegisterEntry) => formatDate(d.arrival_date) },
    { title: t('doc.issuer'), dataIndex: 'issuer_name', width: 200 },
    { title: t('doc.numberSymbol'), dataIndex: 'original_number_symbol', width: 140 },
    { title: t('doc.originalDate'), key: 'od', width: 100, responsive: NOT_ON_PHONE, render: (_: unknown, d: RegisterEntry) => formatDate(d.original_date) },
    { title: t('doc.subject'), key: 's', render: (_: unknown, d: RegisterEntry) => <Link to={`/documents/${d.id}`}>{docTypeName(t, d.type_code)} · {d.subject}</Link> },
    { title: t('doc.deadline'), key: 'dl', width: 100, responsive: NOT_ON_PHONE, render: (_: unknown, d: RegisterEntry) => formatDate(d.deadline) },
    signatureColumn,
    remarksColumn,
  ];
  const outgoingColumns = [
    { title: t('doc.numberSymbol'), dataIndex: 'number_symbol', width: 160 },
    { title: t('doc.issuedDate'), key: 'id', width: 100, responsive: NOT_ON_PHONE, render: (_: unknown, d: RegisterEntry) => formatDate(d.issued_date) },
    { title: t('doc.subject'), key: 's', render: (_: unknown, d: RegisterEntry) => <Link to={`/documents/${d.id}`}>{d.subject}</Link> },
    { title: t('doc.signer'), dataIndex: 'signer_name', width: 160, responsive: NOT_ON_PHONE },
    { title: t('doc.recipients'), key: 'r', width: 220, responsive: NOT_ON_PHONE, render: (_: unknown, d: RegisterEntry) => d.recipient_unit_ids.map((u) => unitName(units, u)).join('; ') },
    signatureColumn,
    remarksColumn,
  ];

  return (
    <Card size="small" title={t('books.title')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <TreeSelect aria-label={t('doc.unit')} style={{ width: 300 }} treeData={tree} value={unitId}
            onChange={setUnitId} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
          <Select aria-label={t('books.title')} style={{ width: 260 }} value={bookId} onChange={setBookId}
            options={books.map((b) => ({ value: b.id, label: bookLabel(b) }))} notFoundContent={t('books.none')} />
          {bookId && (
            <>
              <Button href={exportUrl('csv')}>{t('books.exportCsv')}</Button>
              <Button href={exportUrl('xlsx')}>{t('books.exportXlsx')}</Button>
              <Button icon={<PrinterOutlined aria-hidden />} onClick={() => navigate(bookPrintPath(bookId, filter), PRINT_NOW)}>
                {t('common.print')}
              </Button>
            </>
          )}
        </Space>
        <Form layout="inline" onFinish={onFilter}>
          <Form.Item name="q" label={t('common.search')}>
            <Input allowClear maxLength={200} style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="range" label={`${t('books.from')} – ${t('books.to')}`}>
            <RangePicker allowEmpty={[true, true]} />
          </Form.Item>
          <Button htmlType="submit">{t('books.filter')}</Button>
        </Form>
        {(error || entries.error) ? <Alert type="error" showIcon title={describe(error || entries.error, t)} /> : null}
        <ScrollBox label={t('books.title')}>
          <Table<RegisterEntry> size="small" rowKey="id" pagination={false} loading={entries.loading}
            dataSource={entries.items} locale={{ emptyText: t('doc.empty') }}
            columns={book?.kind === 'outgoing' ? outgoingColumns : incomingColumns} />
        </ScrollBox>
        {entries.hasMore && <Button onClick={() => void entries.loadMore()}>{t('common.loadMore')}</Button>}
      </Space>
    </Card>
  );
}
