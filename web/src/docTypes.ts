import { useEffect, useState } from 'react';
import { get, type DocType } from './api';
import type { Lang } from './i18n/messages';

// The Decree 30 types, for a Select: "QĐ — Quyết định"; the công văn has no code.
export function useDocTypeOptions(lang: Lang, officialLetter: string) {
  const [types, setTypes] = useState<DocType[]>([]);
  useEffect(() => {
    get<{ items: DocType[] }>('/document-types').then((r) => setTypes(r.items)).catch(() => undefined);
  }, []);
  return [
    { value: '', label: officialLetter },
    ...types.filter((d) => d.code).map((d) => ({ value: d.code, label: `${d.code} — ${lang === 'vi' ? d.name_vi : d.name_en}` })),
  ];
}
