import { Link } from 'react-router-dom';
import { get } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useQuery } from '../../app/useQuery';
import { docReference } from './labels';
import type { Doc } from './types';

// A link to another document, named as people name it (its number and
// symbol, else its subject), never by its id. `text` when the page knows the
// name already; else it is read from the node (a document the person may
// not read is linked as "Xem văn bản").
export function DocLink({ id, text }: { id: number; text?: string }) {
  const { t } = useI18n();
  const q = useQuery(text ? null : `doc-ref:${id}`, (signal) => get<Doc>(`/documents/${id}`, undefined, signal), { keep: true });
  const label = text || (q.data ? docReference(q.data) : q.error ? t('doc.linked') : t('common.loading'));
  return <Link to={`/documents/${id}`}>{label}</Link>;
}
