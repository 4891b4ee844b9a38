import { Fragment } from 'react';
import { Tag } from 'antd';
import { useI18n } from '../../app/i18n';
import { STATUS_COLORS, statusLabel } from './search';
import { STATUSES, type Mark } from './types';

// What the search pages and the legal database show alike.

// A title or snippet with the words the query matched in <mark>.
export function Marks({ marks, text }: { marks?: Mark[] | null; text?: string | null }) {
  if (!marks?.length) return <>{text ?? ''}</>;
  return <>{marks.map((m, i) => (m.hit ? <mark key={i} className="search-mark">{m.text}</mark> : <Fragment key={i}>{m.text}</Fragment>))}</>;
}

// Where a legal document stands (on the day its answer was computed for), as
// a coloured word; nothing when the node does not say.
export function StatusTag({ status }: { status: string | null | undefined }) {
  const { t } = useI18n();
  const known = STATUSES.find((s) => s === status);
  if (!known) return null;
  return <Tag color={STATUS_COLORS[known]} data-status={known}>{statusLabel(t, known)}</Tag>;
}
