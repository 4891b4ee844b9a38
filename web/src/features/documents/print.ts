import { withQuery } from '../../app/api';
import { isMessageKey, type MessageKey, type T } from '../../app/i18n';
import { formatDate } from '../../shared/format';
import type { Doc, RegisterEntry } from './types';

// What the documents' print views put on paper, as data: the register
// books in the layout of Decree 30/2020 (appendix IV), with the column names
// of the books' CSV export (src/modules/documents/books_service.cc) plus the
// columns the form keeps for the hand (Ký nhận, Ngày chuyển).

// Vietnamese folded for comparison: no marks, đ as d, lower case.
export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().trim();
}

// "Tên loại và trích yếu nội dung": the type's name, then the subject —
// once, when the subject already begins with it ("Quyết định về việc …"),
// as the export writes it. A công văn (no type) is its subject.
export function typeAndSubject(t: T, d: Pick<Doc, 'type_code' | 'subject'>): string {
  const key = `doctype.${d.type_code}`;
  if (!d.type_code || !isMessageKey(key)) return d.subject;
  const name = t(key);
  return fold(d.subject).startsWith(fold(name)) ? d.subject : `${name} ${d.subject}`;
}

// A register book's print filter: what the book page shows (text, days).
export interface BookFilter {
  q?: string;
  from?: string;
  to?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function bookPrintPath(bookId: number, filter: BookFilter): string {
  return withQuery(`/books/${bookId}/print`, { q: filter.q, from: filter.from, to: filter.to });
}

// The filter of a print view's address; a day that is not YYYY-MM-DD is
// left out rather than sent.
export function bookFilterOf(params: URLSearchParams): BookFilter {
  const day = (name: string) => {
    const v = params.get(name) ?? '';
    return ISO_DATE.test(v) ? v : undefined;
  };
  return { q: params.get('q')?.trim() || undefined, from: day('from'), to: day('to') };
}

// Names the cells need, from the session and the exchange directory.
export interface CellNames {
  t: T;
  unitName: (id: number | null | undefined) => string;
  agencyName: (code: string) => string;
}

export interface BookColumn {
  key: string;
  title: MessageKey;
  // Share of the sheet's width, in percent (the subject takes the rest).
  width?: number;
  cell: (d: RegisterEntry, names: CellNames) => string;
}

const none = () => '';

// Sổ đăng ký văn bản đến (appendix IV): the incoming book's columns.
const INCOMING: BookColumn[] = [
  { key: 'arrival_date', title: 'book.col.arrivalDate', width: 8, cell: (d) => formatDate(d.arrival_date) },
  { key: 'arrival_number', title: 'book.col.arrivalNumber', width: 5, cell: (d) => (d.arrival_number == null ? '' : String(d.arrival_number)) },
  { key: 'author', title: 'book.col.author', width: 12, cell: (d) => d.issuer_name },
  { key: 'number_symbol', title: 'book.col.numberSymbol', width: 12, cell: (d) => d.original_number_symbol },
  { key: 'date', title: 'book.col.date', width: 8, cell: (d) => formatDate(d.original_date) },
  { key: 'type_subject', title: 'book.col.typeSubject', cell: (d, { t }) => typeAndSubject(t, d) },
  { key: 'receiver', title: 'book.col.receiver', width: 12, cell: (d, { unitName }) => unitName(d.unit_id) },
  { key: 'signature', title: 'book.col.signature', width: 8, cell: none },
  {
    key: 'notes', title: 'book.col.notes', width: 10,
    cell: (d, { t }) => [d.deadline ? t('book.deadlineNote', { date: formatDate(d.deadline) }) : '', d.notes]
      .filter(Boolean).join('; '),
  },
];

// Sổ đăng ký văn bản đi (appendix IV): the outgoing book's columns.
const OUTGOING: BookColumn[] = [
  { key: 'number_symbol', title: 'book.col.numberSymbol', width: 11, cell: (d) => d.number_symbol },
  { key: 'date', title: 'book.col.date', width: 8, cell: (d) => formatDate(d.issued_date) },
  { key: 'type_subject', title: 'book.col.typeSubject', cell: (d, { t }) => typeAndSubject(t, d) },
  { key: 'signer', title: 'book.col.signer', width: 9, cell: (d) => d.signer_name },
  {
    key: 'recipients', title: 'book.col.recipients', width: 12,
    cell: (d, { unitName, agencyName }) => [
      ...d.recipient_unit_ids.map((u) => unitName(u)), ...(d.recipient_agency_codes ?? []).map(agencyName),
    ].filter(Boolean).join('; '),
  },
  { key: 'file_copy', title: 'book.col.fileCopy', width: 10, cell: (d, { unitName }) => unitName(d.unit_id) },
  { key: 'copies', title: 'book.col.copies', width: 6, cell: (d) => (d.copies == null ? '' : String(d.copies)) },
  { key: 'sent_on', title: 'book.col.sentOn', width: 7, cell: none },
  { key: 'signature', title: 'book.col.signature', width: 7, cell: none },
  { key: 'notes', title: 'book.col.notes', width: 8, cell: (d) => d.notes },
];

export function bookColumns(kind: 'incoming' | 'outgoing'): BookColumn[] {
  return kind === 'incoming' ? INCOMING : OUTGOING;
}
