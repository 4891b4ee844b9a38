import { Select } from 'antd';
import { useI18n } from './i18n';
import { LANGUAGES, type Lang } from './i18n/format';
import { useSession } from './session';

export default function LanguageSwitch() {
  const { lang, t } = useI18n();
  const { changeLanguage } = useSession();
  return (
    <Select<Lang>
      aria-label={t('lang.label')}
      value={lang}
      size="small"
      style={{ width: 120 }}
      onChange={(l) => void changeLanguage(l)}
      options={LANGUAGES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
    />
  );
}
