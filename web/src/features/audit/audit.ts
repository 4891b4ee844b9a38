import { tKey, type T } from '../../app/i18n';
import type { AuditRecord } from './types';

// The audit log in words (docs/web.md, "No ids"): each action the node
// records has a name in every language, each kind of object too, and the
// objects are named — a document by its number and symbol (else subject),
// a person or a unit by name — never by the node's id or action code.

// Every action the node writes to the log (grep `Audit(tx` in src/): the
// document flow's actions ("document." + action) and the rest.
export const AUDIT_ACTIONS = [
  'document.submit', 'document.send_back', 'document.approve', 'document.sign', 'document.number', 'document.seal',
  'document.issue', 'document.recall', 'document.file', 'document.archive', 'document.register', 'document.return',
  'document.assign', 'document.note', 'document.complete', 'document.withdraw', 'document.agree_recall',
  'document.refuse_recall',
  'document.create', 'document.update', 'document.attach', 'document.version', 'document.comment', 'document.read',
  'document.receive', 'document.arrived', 'document.corrected', 'document.replaced', 'document.withdrawn', 'document.declassify',
  'approval.propose', 'approval.approve', 'approval.reject',
  'exchange.queued', 'exchange.delivered', 'exchange.refused', 'exchange.failed', 'exchange.received', 'exchange.status',
  'exchange.imported', 'exchange.peer_put', 'exchange.directory_imported',
  'pki.ca_trusted', 'pki.certificate_issued', 'pki.certificate_renewed', 'pki.certificate_revoked', 'pki.image_set',
  'pki.pin_changed', 'pki.pin_refused', 'pki.pin_locked',
  'unit.create', 'unit.update', 'unit.move', 'unit.reorganize',
  'user.create', 'user.update', 'user.language', 'user.login', 'user.logout',
  'record.create', 'security.login_burst', 'audit.tree_head_signed', 'gateway.crossing',
] as const;

// The kinds of object the log speaks of.
export const OBJECT_TYPES = [
  'document', 'user', 'unit', 'reorganization', 'record', 'certificate', 'peer', 'quarantine', 'gateway', 'audit', 'login',
] as const;

// An action in words: a step of the document flow as its button says it
// ("Phát hành"), anything else as an event ("Đăng nhập"). exchange.refused
// is a package we refused on arrival when its object is the quarantine, a
// package the other agency refused when it is a document.
export function actionLabel(t: T, action: string, objectType?: string): string {
  if (action === 'exchange.refused' && objectType === 'quarantine') return t('event.exchange.quarantined');
  const other = t('audit.otherAction');
  if (action.startsWith('document.')) {
    const step = action.slice('document.'.length);
    return tKey(t, `action.${step}`, tKey(t, `event.${step}`, other));
  }
  return tKey(t, `event.${action}`, other);
}

export function objectTypeLabel(t: T, type: string): string {
  return tKey(t, `audit.object.${type}`, t('audit.object.other'));
}

// The `details` of a record the reader may see (none when redacted).
export function detailsOf(r: AuditRecord): Record<string, unknown> {
  const record = r.record;
  if (!record || typeof record !== 'object' || !('details' in record)) return {};
  const details = record.details;
  return details && typeof details === 'object' ? { ...details } : {};
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

// What the records on screen say of each document: its latest number and
// symbol (numbering, creation, arrival), else its subject; a copy issued to
// another unit is named like the document it copies. Read from the log
// itself: reading each document would be a read of it (and, when
// classified, an entry of its own in this log).
export function documentNames(records: AuditRecord[]): Map<number, string> {
  const numbers = new Map<number, string>();
  const subjects = new Map<number, string>();
  const newestFirst = [...records].sort((a, b) => b.seq - a.seq);
  for (const r of newestFirst) {
    if (r.object_type !== 'document' || !r.object_id) continue;
    const d = detailsOf(r);
    const effects = d.effects && typeof d.effects === 'object' ? { ...d.effects } : {};
    const number = text(d.number_symbol) ?? ('number_symbol' in effects ? text(effects.number_symbol) : null);
    if (number && !numbers.has(r.object_id)) numbers.set(r.object_id, number);
    const subject = text(d.subject);
    if (subject && !subjects.has(r.object_id)) subjects.set(r.object_id, subject);
  }
  const names = new Map(subjects);
  for (const [id, n] of numbers) names.set(id, n);
  for (const r of newestFirst) {
    const effects = detailsOf(r).effects;
    const copies = effects && typeof effects === 'object' && 'copies' in effects && Array.isArray(effects.copies) ? effects.copies : [];
    const name = r.object_id ? names.get(r.object_id) : undefined;
    for (const c of copies) {
      const copy = c && typeof c === 'object' && 'copy_id' in c && typeof c.copy_id === 'number' ? c.copy_id : null;
      if (name && copy && !names.has(copy)) names.set(copy, name);
    }
  }
  return names;
}

// The name a record gives its own object, when it is not a document, a
// person or a unit (the page names those): a certificate's subject, a
// record's title, a peer agency's name.
export function ownName(r: AuditRecord): string | null {
  const d = detailsOf(r);
  return text(d.subject) ?? text(d.title) ?? text(d.name) ?? null;
}
