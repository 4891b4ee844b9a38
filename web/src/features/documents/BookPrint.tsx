import { useMemo } from 'react';
import { Alert, Spin } from 'antd';
import { useParams, useSearchParams } from 'react-router-dom';
import { get } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { useQuery } from '../../app/useQuery';
import { describe } from '../../shared/errors';
import { formatDate } from '../../shared/format';
import { PrintView } from '../../shared/PrintView';
import { unitName } from '../../shared/units';
import { agencyName } from '../exchange/exchange';
import { usePeers } from '../exchange/usePeers';
import { bookColumns, bookFilterOf, type BookFilter, type CellNames } from './print';
import type { RegisterBookPage, RegisterEntry } from './types';

// A register book on paper (/books/:id/print?q=&from=&to=), in the layout of
// Decree 30/2020, appendix IV: A4 landscape, headed by the unit, the book
// and its year (and the filter, when there is one), every entry the book
// page's filter selects — all of them, not the first page — one ruled row
// each, the heading repeated on every sheet.
export default function BookPrint() {
  const { t } = useI18n();
  const { units } = useSession();
  const bookId = Number(useParams().id);
  const [params] = useSearchParams();
  const filter = useMemo(() => bookFilterOf(params), [params]);
  const peers = usePeers();
  const { data, error } = useQuery(Number.isNaN(bookId) ? null : `book-print:${bookId}|${filter.q}|${filter.from}|${filter.to}`,
    (signal) => allEntries(bookId, filter, signal));

  if (error) return <Alert type="error" showIcon title={describe(error, t)} />;
  if (!data) return <Spin />;
  const { book, items } = data;
  const names: CellNames = { t, unitName: (id) => unitName(units, id), agencyName: (code) => agencyName(peers, code) };
  const columns = bookColumns(book.kind);
  const title = `${t(`book.printTitle.${book.kind}`)} · ${t('book.year', { year: book.year })} · ${unitName(units, book.unit_id)}`;
  return (
    <PrintView title={title} ready landscape back="/books">
      <h2>{unitName(units, book.unit_id).toLocaleUpperCase('vi')}</h2>
      <h1>{t(`book.printTitle.${book.kind}`)}</h1>
      <div className="print-center">
        {t('book.year', { year: book.year })}
        {rangeText(t, filter) && <div>{rangeText(t, filter)}</div>}
        {filter.q && <div>{t('book.searched', { q: filter.q })}</div>}
        <div>{t('book.count', { count: items.length })}</div>
      </div>
      <table className="print-table">
        <colgroup>
          {columns.map((c) => <col key={c.key} style={c.width ? { width: `${c.width}%` } : undefined} />)}
        </colgroup>
        <thead>
          <tr>{columns.map((c) => <th key={c.key} scope="col">{t(c.title)}</th>)}</tr>
          <tr>{columns.map((c, i) => <th key={c.key} scope="col">({i + 1})</th>)}</tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id}>{columns.map((c) => <td key={c.key}>{c.cell(d, names)}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </PrintView>
  );
}

// The filter's days in words: "Từ ngày 01/12/2026 đến ngày 31/12/2026".
function rangeText(t: CellNames['t'], f: BookFilter): string {
  if (f.from && f.to) return t('book.range', { from: formatDate(f.from), to: formatDate(f.to) });
  if (f.from) return t('book.rangeFrom', { from: formatDate(f.from) });
  if (f.to) return t('book.rangeTo', { to: formatDate(f.to) });
  return '';
}

// Every entry the filter selects, page after page (200 at a time, the
// most the API gives).
async function allEntries(bookId: number, filter: BookFilter, signal: AbortSignal) {
  const items: RegisterEntry[] = [];
  let cursor: string | null = null;
  let book: RegisterBookPage['book'] | null = null;
  do {
    const page: RegisterBookPage = await get<RegisterBookPage>(`/register-books/${bookId}/entries`,
      { ...filter, cursor, limit: 200 }, signal);
    book = page.book;
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return { book, items };
}
