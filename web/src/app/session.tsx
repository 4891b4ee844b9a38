import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, get, post, put, setCsrfToken } from './api';
import type { Language, Me, Person, Role, NewSession, Unit, User } from './api-types';
import { useI18n } from './i18n';
import { todayOf } from '../shared/today';

// Who is signed in, the node's today, the unit list (small: loaded once) and
// a cache of names for the people the pages mention.
interface Session {
  user: User | null;
  // The node's date in Vietnam ("YYYY-MM-DD", GET /me): the day forms propose
  // and deadlines are compared with. Read again when the tab comes back into
  // view, so a page left open overnight moves on to the new day.
  today: string;
  loading: boolean;
  units: Unit[];
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  has: (...roles: Role[]) => boolean;
  changeLanguage: (lang: Language) => Promise<void>;
  reloadUnits: () => Promise<void>;
  personName: (id: number | null | undefined) => string;
  loadPeople: (ids: (number | null | undefined)[]) => void;
  // Whether the node has answered for each of them (a print view waits).
  named: (ids: (number | null | undefined)[]) => boolean;
}

const Context = createContext<Session | null>(null);

// Whether this browser was signed in when last here: a hint for what to
// start loading early (App.tsx), never a proof — /me decides.
const SIGNED_IN = 'chancery.signedIn';
export function wasSignedIn(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN) === '1';
  } catch {
    return false;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const { setLang, lang, t } = useI18n();
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);
  // Until /me answers, the browser's clock: the sign-in page proposes no date.
  const [today, setToday] = useState(() => todayOf(null));
  const [units, setUnits] = useState<Unit[]>([]);
  // null: asked, and the node named nobody (gone, or not for my eyes).
  const [people, setPeople] = useState<Record<number, Person | null>>({});
  const asked = useRef(new Set<number>());

  const reloadUnits = useCallback(async () => {
    const r = await get<{ items: Unit[] }>('/units');
    setUnits(r.items);
  }, []);

  const adopt = useCallback(async (me: Me, units?: Promise<{ items: Unit[] }>) => {
    setCsrfToken(me.csrf_token);
    localStorage.setItem(SIGNED_IN, '1');
    setToday(todayOf(me));
    setUser(me);
    setLang(me.language || 'vi');
    if (units) {
      await units.then((r) => setUnits(r.items), () => reloadUnits()).catch(() => undefined);
    } else {
      await reloadUnits().catch(() => undefined);
    }
  }, [reloadUnits, setLang]);

  useEffect(() => {
    // Signed in last time: the units are asked beside /me, not after it
    // (a 401 for them is dropped with /me's).
    const units = wasSignedIn() ? get<{ items: Unit[] }>('/units') : undefined;
    units?.catch(() => undefined);
    get<Me>('/me')
      .then((me) => adopt(me, units))
      .catch(() => {
        localStorage.removeItem(SIGNED_IN);
        setUser(null);
      })
      .finally(() => setLoading(false));
  }, [adopt]);

  const login = useCallback(async (username: string, password: string) => {
    const r = await post<NewSession>('/auth/login', { username, password });
    setCsrfToken(r.csrf_token);
    const me = await get<Me>('/me');
    // A language chosen on the sign-in page becomes the user's own.
    if (me.language !== lang) {
      const updated = await put<User>('/me/language', { language: lang }).catch(() => me);
      await adopt({ ...updated, csrf_token: me.csrf_token, today: me.today });
    } else {
      await adopt(me);
    }
  }, [adopt, lang]);

  const signedIn = user !== null;
  useEffect(() => {
    if (!signedIn) return;
    const refresh = () => {
      if (document.visibilityState !== 'visible') return;
      get<Me>('/me').then((me) => setToday(todayOf(me))).catch(() => undefined);
    };
    document.addEventListener('visibilitychange', refresh);
    return () => document.removeEventListener('visibilitychange', refresh);
  }, [signedIn]);

  const logout = useCallback(async () => {
    await post('/auth/logout').catch(() => undefined);
    localStorage.removeItem(SIGNED_IN);
    setCsrfToken('');
    setUser(null);
  }, []);

  const changeLanguage = useCallback(async (l: Language) => {
    setLang(l);
    if (user) {
      const u = await put<User>('/me/language', { language: l });
      setUser((prev) => (prev ? { ...prev, language: u.language } : prev));
    }
  }, [setLang, user]);

  const loadPeople = useCallback((ids: (number | null | undefined)[]) => {
    const missing = [...new Set(ids.filter((id): id is number => typeof id === 'number' && id > 0))]
      .filter((id) => !asked.current.has(id));
    if (missing.length === 0) return;
    missing.forEach((id) => asked.current.add(id));
    for (let i = 0; i < missing.length; i += 200) {
      get<{ items: Person[] }>('/people', { ids: missing.slice(i, i + 200).join(','), limit: 200 })
        .then((r) => setPeople((prev) => {
          const next = { ...prev };
          for (const id of missing.slice(i, i + 200)) next[id] = null;
          for (const p of r.items) next[p.id] = p;
          return next;
        }))
        .catch(() => undefined);
    }
  }, []);

  const value = useMemo<Session>(() => ({
    user,
    today,
    loading,
    units,
    login,
    logout,
    has: (...roles) => !!user && roles.some((r) => user.roles.includes(r)),
    changeLanguage,
    reloadUnits,
    // A name, never an id: "…" while asked, "(không rõ)" if nobody is named.
    personName: (id) => (id == null ? '' : people[id] === null ? t('common.unknown') : people[id]?.full_name ?? '…'),
    loadPeople,
    named: (ids) => ids.every((id) => typeof id !== 'number' || id <= 0 || id in people),
  }), [user, today, loading, units, login, logout, changeLanguage, reloadUnits, people, loadPeople, t]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): Session {
  const v = useContext(Context);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

export function isUnauthenticated(e: unknown) {
  return e instanceof ApiError && e.problem.code === 'unauthenticated';
}
