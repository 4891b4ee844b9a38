import { useI18n } from './i18n';
import { LANGUAGES, type Lang } from './i18n/format';
import { useSession } from './session';

// The UI language, as the browser's own select: on the sign-in page it is
// the only list there is, and Ant Design's Select would add some 40 KB to
// what that page downloads (docs/performance.md, "First load"); on a phone
// it opens the system's picker. `compact` (a phone's header) names each
// language by its code (VI, EN, FR).
export default function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { lang, t } = useI18n();
  const { changeLanguage } = useSession();
  return (
    <select
      aria-label={t('lang.label')}
      value={lang}
      onChange={(e) => void changeLanguage(e.target.value as Lang)}
      style={{
        height: 24, paddingInline: 6, borderRadius: 4, border: '1px solid #d9d9d9', background: '#fff',
        color: 'rgba(0, 0, 0, 0.88)', font: 'inherit', fontSize: 14, width: compact ? 56 : 120,
      }}
    >
      {LANGUAGES.map((l) => (
        <option key={l} value={l} title={t(`lang.${l}`)}>{compact ? l.toUpperCase() : t(`lang.${l}`)}</option>
      ))}
    </select>
  );
}
