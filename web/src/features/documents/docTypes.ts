import { get } from '../../app/api';
import type { Lang } from '../../app/i18n';
import { useQuery } from '../../app/useQuery';
import type { DocType } from './types';

// The Decree 30 types, for a Select: "QĐ — Quyết định"; the công văn has no code.
export function useDocTypeOptions(lang: Lang, officialLetter: string) {
  const { data } = useQuery('document-types', (signal) => get<{ items: DocType[] }>('/document-types', undefined, signal));
  const types = data?.items ?? [];
  return [
    { value: '', label: officialLetter },
    ...types.filter((d) => d.code).map((d) => ({ value: d.code, label: `${d.code} — ${lang === 'vi' ? d.name_vi : d.name_en}` })),
  ];
}
