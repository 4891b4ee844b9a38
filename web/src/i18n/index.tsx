import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { catalogue, format, LANGUAGES, type Lang, type MessageKey } from './messages';

export type T = (key: MessageKey, params?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: T;
}

const STORAGE_KEY = 'chancery.lang';

// Before anyone signs in, the language last chosen on this browser (or
// Vietnamese); after, the user's own, from the server.
export function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Lang;
  } catch {
    /* storage disabled */
  }
  return 'vi';
}

const Context = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* storage disabled */
    }
    document.documentElement.lang = l;
  }, []);
  const value = useMemo(() => {
    const messages = catalogue(lang);
    const t: T = (key, params) => format(messages[key] ?? key, params);
    return { lang, setLang, t };
  }, [lang, setLang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Context);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
