import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { catalogue, format, isMessageKey, LANGUAGES, type Lang, type MessageKey } from './catalogue';

export { isMessageKey, type Lang, type MessageKey };

export type T = (key: MessageKey, params?: Record<string, string | number>) => string;

// A key made of a prefix and what the server sent (`state.${state}`): its
// message when the catalogue has one, else `fallback` (by default the key
// itself, as `t` shows an unknown key).
export function tKey(t: T, key: string, fallback: string = key, params?: Record<string, string | number>): string {
  return isMessageKey(key) ? t(key, params) : fallback;
}

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
    const known = LANGUAGES.find((l) => l === stored);
    if (known) return known;
  } catch {
    /* storage disabled */
  }
  return 'vi';
}

// A `t` over one language's catalogue, outside React (tests, helpers).
export function translator(lang: Lang): T {
  const messages = catalogue(lang);
  return (key, params) => format(messages[key] ?? key, params);
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
  const value = useMemo(() => ({ lang, setLang, t: translator(lang) }), [lang, setLang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Context);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
