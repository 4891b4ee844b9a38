import { Result } from 'antd';
import { useI18n } from './i18n';

export default function NotFound() {
  const { t } = useI18n();
  return <Result status="404" title="404" subTitle={t('common.notFoundPage')} />;
}
