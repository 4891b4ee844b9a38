import { Tag } from 'antd';
import type { Classification, Urgency } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';

const STATE_COLORS: Record<string, string> = {
  draft: 'default', in_review: 'gold', approved: 'cyan', signed: 'blue', numbered: 'geekblue',
  sealed: 'geekblue', issued: 'green', received: 'magenta', registered: 'purple', assigned: 'orange',
  in_progress: 'processing', completed: 'green', returned: 'red', recalled: 'red', filed: 'default',
  archived: 'default', replaced: 'default', recall_requested: 'volcano',
};

export function StateTag({ state }: { state: string }) {
  const { t } = useI18n();
  return <Tag color={STATE_COLORS[state] || 'default'}>{t(`state.${state}` as MessageKey)}</Tag>;
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
