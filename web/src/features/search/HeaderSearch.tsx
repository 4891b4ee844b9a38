import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { AutoComplete, Button, Input, Typography, type InputRef } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router-dom';
import { get } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { pause, useQuery } from '../../app/useQuery';
import { useScreen } from '../../shared/screen';
import { isTyping } from '../../shared/workList';
import { HitLine } from './HitLine';
import { groupHits, hitHref, hitKey, kindLabel, searchFailure, searchHref } from './search';
import type { SearchAnswer, SearchHit } from './types';
import './search.css';

// How long typing must pause before the box asks (ms), and how many hits it shows.
export const TYPING_PAUSE = 150;
const LIMIT = 20;
const ALL = '__all__';

// An entry of the box's list: a hit, a group of them, or a line that only
// says something (searching, nothing found, a refusal).
interface Option {
  value?: string;
  label: ReactNode;
  title?: string;
  disabled?: boolean;
  hit?: SearchHit;
  options?: Option[];
}

// The search box of the header, on every page: results as one types
// (grouped: Văn bản, Văn bản pháp luật, Điều), a hit opens its page, Enter
// the results page (/search?q=…). `/` (outside a field) and Ctrl+K put the
// focus in it. On a phone the header has room for an icon only, which
// opens the results page and its own box.
export default function HeaderSearch() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const phone = useScreen() === 'phone';
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const input = useRef<InputRef>(null);
  const selected = useRef(false);
  const q = text.trim();

  // Asked once typing pauses; a newer text drops the answer to an older one
  // (useQuery), and an empty box asks nothing.
  const answer = useQuery(q ? `header-search:${q}` : null, async (signal) => {
    await pause(TYPING_PAUSE, signal);
    // As one types, the last word is a prefix; the box shows no facets.
    return get<SearchAnswer>('/search', { q, prefix: true, facets: false, limit: LIMIT }, signal);
  }, { keep: true });

  const results = () => {
    if (!q) return;
    setOpen(false);
    navigate(searchHref(q));
  };
  const focus = () => {
    if (phone) {
      if (location.pathname !== '/search') navigate('/search');
      return;
    }
    input.current?.focus();
    input.current?.select?.();
  };
  const latestFocus = useRef(focus);
  latestFocus.current = focus;

  // Ctrl+K anywhere but in a dialog; `/` outside a field and only when the
  // page has not used it (a list's own search box takes `/` first: the
  // window hears a key after the document, where lists listen).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inDialog = !!(e.target as { closest?: (s: string) => unknown } | null)?.closest?.('[role="dialog"]');
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k' && !inDialog) {
        e.preventDefault();
        latestFocus.current();
      } else if (e.key === '/' && !e.defaultPrevented && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target)) {
        e.preventDefault();
        latestFocus.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const data = q ? answer.data : undefined;
  const options = useMemo((): Option[] => {
    if (!q) return [];
    if (answer.error && !answer.loading) {
      return [{ value: '__error__', disabled: true, label: <Typography.Text type="danger">{searchFailure(answer.error, t)}</Typography.Text> }];
    }
    if (!data) return [{ value: '__wait__', disabled: true, label: t('search.searching') }];
    if (data.items.length === 0) return [{ value: '__none__', disabled: true, label: t('search.noHits') }];
    return [
      ...groupHits(data.items).map((g) => ({
        label: kindLabel(t, g.kind),
        title: kindLabel(t, g.kind),
        options: g.items.map((h) => ({ value: hitKey(h), label: <HitLine hit={h} compact />, hit: h })),
      })),
      { value: ALL, label: <Typography.Link>{t(data.total_exact ? 'search.all' : 'search.allMore', { total: data.total })}</Typography.Link> },
    ];
  }, [q, data, answer.error, answer.loading, t]);

  if (phone) {
    return (
      <Button type="text" className="shell-header-button" icon={<SearchOutlined aria-hidden />} aria-label={t('search.box')}
        title={t('search.box')} onClick={focus} />
    );
  }
  return (
    <AutoComplete
      className="header-search"
      value={text}
      options={options}
      open={open && !!q}
      onOpenChange={setOpen}
      onSearch={(v) => {
        setText(v);
        setOpen(true);
      }}
      onSelect={(value: string, option: Option) => {
        // Told to the Enter that chose it (onKeyDown, in the same event),
        // forgotten after: a click is followed by no such Enter.
        selected.current = true;
        queueMicrotask(() => {
          selected.current = false;
        });
        setOpen(false);
        if (value === ALL || !option.hit) results();
        else navigate(hitHref(option.hit));
      }}
      onKeyDown={(e) => {
        // Enter on a hit chose it (onSelect, just before); else the results page.
        if (e.key === 'Enter' && !selected.current) {
          e.preventDefault();
          results();
        } else if (e.key === 'Escape') {
          setOpen(false);
        }
      }}
      defaultActiveFirstOption={false}
      popupMatchSelectWidth={false}
      listHeight={420}
      styles={{ popup: { root: { width: 'min(640px, calc(100vw - 16px))' } } }}
      style={{ width: '100%', maxWidth: 520 }}>
      <Input ref={input} aria-label={t('search.box')} placeholder={t('search.placeholder')} allowClear maxLength={500}
        prefix={<SearchOutlined aria-hidden />} />
    </AutoComplete>
  );
}
