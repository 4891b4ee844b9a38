import { Space, Tag, Typography } from 'antd';
import { isMessageKey, useI18n } from '../../app/i18n';
import { formatDate } from '../../shared/format';
import { ClassificationTag, StateTag } from '../documents/Tags';
import { Marks, StatusTag } from './parts';
import { kindLabel, stateLabel, statusLabel } from './search';
import type { SearchHit } from './types';

// One hit as the search box and the results page show it: its number and
// symbol (an article: "Điều 5" and its document's number), the title with
// the matched words marked, the day, the unit (a legal text: its issuer),
// the state or validity in words, and the classification when it is not
// "Thường". The results page (`compact` false) adds the kind and the
// snippet.
export function HitLine({ hit, compact = false }: { hit: SearchHit; compact?: boolean }) {
  const { t } = useI18n();
  const isDocument = hit.kind === 'document';
  // An article's title may already start with its label ("Điều 5. …").
  const label = hit.article_label && !hit.title.startsWith(hit.article_label) ? hit.article_label : null;
  const heading = hit.kind === 'article' ? label : hit.number_symbol;
  const word = isDocument ? stateLabel(t, hit.state) : statusLabel(t, hit.status);
  const meta = [
    hit.kind === 'article' ? hit.number_symbol : null,
    isDocument ? null : hit.type_name,
    formatDate(hit.date),
    isDocument ? hit.unit_name : hit.issuer,
    compact ? word : null,
  ].filter(Boolean);
  const classification = hit.classification && hit.classification !== 'normal' ? hit.classification : null;
  return (
    <div className="search-hit" data-kind={hit.kind}>
      <div className="search-hit-title">
        {heading ? <Typography.Text strong>{heading}</Typography.Text> : null}
        {heading ? ' ' : null}
        <Marks marks={hit.title_marks} text={hit.title} />
      </div>
      <Space size={4} wrap className="search-hit-meta">
        {!compact && <Tag>{kindLabel(t, hit.kind)}</Tag>}
        {!compact && (isDocument
          ? (hit.state && isMessageKey(`state.${hit.state}`) ? <StateTag state={hit.state} /> : word ? <Tag>{word}</Tag> : null)
          : <StatusTag status={hit.status} />)}
        {classification && <ClassificationTag classification={classification} />}
        <Typography.Text type="secondary">{meta.join(' · ')}</Typography.Text>
      </Space>
      {!compact && hit.snippet_marks?.length ? (
        <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
          <Marks marks={hit.snippet_marks} />
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}
