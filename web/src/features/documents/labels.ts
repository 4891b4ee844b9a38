import { tKey, type T } from '../../app/i18n';
import { formatDate } from '../../shared/format';
import type { Doc } from './types';

// How people name a document and its type (docs/web.md, "No ids"): never
// by the node's id, always by what is written on it.

// A type by its name in the person's language — "Báo cáo", not "BC"; a
// công văn has no type code. A code the catalogue does not know yet is
// shown as it is (the abbreviation is public, part of the symbol).
export function docTypeName(t: T, code: string | null | undefined): string {
  return code ? tKey(t, `doctype.${code}`, code) : t('doc.officialLetter');
}

// A document as people refer to it: its number and symbol (for a received
// one, the sender's), else its subject.
export function docReference(d: Pick<Doc, 'direction' | 'number_symbol' | 'original_number_symbol' | 'subject'>): string {
  const number = d.direction === 'outgoing' ? d.number_symbol : d.original_number_symbol;
  return number || d.subject;
}

// The day a list shows for a document: issued, arrived, dated, else made.
export function docDay(d: Pick<Doc, 'issued_date' | 'arrival_date' | 'original_date' | 'created_at'>): string {
  return d.issued_date || d.arrival_date || d.original_date || d.created_at;
}

// A document as a list names its row for screen readers: its arrival
// number and the sender's number and symbol (received) or its own number
// and symbol, its subject, state, day and deadline.
export function docRowName(d: Pick<Doc, 'direction' | 'number_symbol' | 'original_number_symbol' | 'arrival_number'
  | 'subject' | 'state' | 'issued_date' | 'arrival_date' | 'original_date' | 'created_at' | 'deadline'>, t: T): string {
  const parts = d.direction === 'incoming'
    ? [d.arrival_number ? t('doc.arrivalNo', { number: d.arrival_number }) : '', d.original_number_symbol]
    : [d.number_symbol];
  parts.push(d.subject, tKey(t, `state.${d.state}`), formatDate(docDay(d)));
  if (d.deadline) parts.push(t('assign.dueOn', { date: formatDate(d.deadline) }));
  return parts.filter(Boolean).join(', ');
}
