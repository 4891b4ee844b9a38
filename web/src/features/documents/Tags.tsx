import { Tag } from 'antd';
import type { Classification, Urgency } from '../../app/api-types';
import { tKey, useI18n } from '../../app/i18n';

const STATE_COLORS: Record<string, string> = {
  draft: 'default', in_review: 'gold', approved: 'cyan', signed: 'blue', numbered: 'geekblue',
  sealed: 'geekblue', issued: 'green', received: 'magenta', registered: 'purple', assigned: 'orange',
  in_progress: 'processing', completed: 'green', returned: 'red', recalled: 'red', filed: 'default',
  archived: 'default', replaced: 'default', recall_requested: 'volcano',
};

export function StateTag({ state }: { state: string }) {
  const { t } = useI18n();
  return <Tag color={STATE_COLORS[state] || 'default'}>{tKey(t, `state.${state}`)}</Tag>;
}

export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  const { t } = useI18n();
  if (urgency === 'normal') return null;
  return <Tag color={urgency === 'khan' ? 'orange' : 'red'}>{t(`urgency.${urgency}`)}</Tag>;
}

export function ClassificationTag({ classification }: { classification: Classification }) {
  const { t } = useI18n();
  if (classification === 'normal') return null;
  return <Tag color="red" bordered>{t(`classification.${classification}`)}</Tag>;
}
