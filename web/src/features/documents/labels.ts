import { tKey, type T } from '../../app/i18n';
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
