import { get } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useQuery } from '../../app/useQuery';
import { docTypeName } from './labels';
import type { DocType } from './types';

// The Decree 30 types the node offers, for a Select: "QĐ — Quyết định" (the
// abbreviation is what the symbol carries, the name in the person's
// language); the công văn has no code.
export function useDocTypeOptions() {
  const { t } = useI18n();
  const { data } = useQuery('document-types', (signal) => get<{ items: DocType[] }>('/document-types', undefined, signal));
  const types = data?.items ?? [];
  return [
    { value: '', label: t('doc.officialLetter') },
    ...types.filter((d) => d.code).map((d) => ({ value: d.code, label: `${d.code} — ${docTypeName(t, d.code)}` })),
  ];
}
