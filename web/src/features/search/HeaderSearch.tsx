import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { Button, Input, theme, Typography, type InputRef } from 'antd';
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
// The list's widest, and its margin to the window's edge (px).
const LIST_WIDTH = 640;
const EDGE = 8;

// What the open list holds: groups of choices (a hit, or "see all
// results"), or one line that only says something (searching, nothing
// found, a refusal).
interface Choice {
  key: string;
  label: ReactNode;
  hit?: SearchHit;
}
interface Group {
  title: string;
  choices: Choice[];
}
// `said`: what a screen reader hears of it, in a status line (the note,
// or the last line's words); `failed`: the note is a refusal.
type Content = { said: string } & ({ note: string; failed?: boolean } | { groups: Group[]; all: Choice });

// The search box of the header, on every page: results as one types
// (grouped: Văn bản, Văn bản pháp luật, Điều), a hit opens its page, Enter
// the results page (/search?q=…). `/` (outside a field) and Ctrl+K put the
// focus in it. On a phone the header has room for an icon only, which
// opens the results page and its own box.
//
// A combobox of its own (WAI-ARIA's "list autocomplete" pattern), not Ant
// Design's AutoComplete: a key there sets state in several of the select's
// effects, so that keys queued behind a busy page (each arriving before
// React has finished the work of the one before) ran into React's limit of
// 50 nested updates and crashed the page (React error #185). Here a key
// sets the text, the list's place and its open state in its own event, and
// only the query's start follows (docs/web.md, "Keys queued behind a busy page").
export default function HeaderSearch() {
  const { t } = useI18n();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const location = useLocation();
  const phone = useScreen() === 'phone';
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  // The choice the arrow keys are on, by its key: a newer answer that no
  // longer holds it leaves none chosen (not whatever hit took its place).
  const [active, setActive] = useState<string | null>(null);
  // How far the list moves left so that it ends inside the window (px).
  const [shift, setShift] = useState(0);
  const input = useRef<InputRef>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const id = useId();
  const q = text.trim();

  // Asked once typing pauses; a newer text drops the answer to an older one
  // (useQuery), and an empty box asks nothing.
  const answer = useQuery(q ? `header-search:${q}` : null, async (signal) => {
    await pause(TYPING_PAUSE, signal);
    // As one types, the last word is a prefix; the box shows no facets.
    return get<SearchAnswer>('/search', { q, prefix: true, facets: false, limit: LIMIT }, signal);
  }, { keep: true });

  const data = q ? answer.data : undefined;
  const content = useMemo((): Content => {
    const note = (text: string, failed = false) => ({ note: text, said: text, failed });
    if (answer.error && !answer.loading) return note(searchFailure(answer.error, t), true);
    if (!data) return note(t('search.searching'));
    if (data.items.length === 0) return note(t('search.noHits'));
    const all = t(data.total_exact ? 'search.all' : 'search.allMore', { total: data.total });
    return {
      said: all,
      groups: groupHits(data.items).map((g) => ({
        title: kindLabel(t, g.kind),
        choices: g.items.map((h) => ({ key: hitKey(h), label: <HitLine hit={h} compact />, hit: h })),
      })),
      all: { key: '__all__', label: <Typography.Link>{all}</Typography.Link> },
    };
  }, [data, answer.error, answer.loading, t]);
  const choices = useMemo(() => ('groups' in content ? [...content.groups.flatMap((g) => g.choices), content.all] : []), [content]);
  const shown = open && !!q;
  const current = shown && active !== null ? choices.findIndex((c) => c.key === active) : -1;
  const choiceId = (i: number) => `${id}-choice-${i}`;
  const rowPadding = `${token.paddingXXS + 1}px ${token.paddingSM}px`;

  const close = () => {
    setOpen(false);
    setActive(null);
  };
  // Opened by typing, a click or an arrow key: placed so that it ends
  // inside the window (measured here, in the event, not in an effect).
  const show = () => {
    if (shown) return;
    const left = wrap.current?.getBoundingClientRect().left ?? 0;
    const width = Math.min(LIST_WIDTH, window.innerWidth - 2 * EDGE);
    setShift(Math.max(0, left + width + EDGE - window.innerWidth));
    setOpen(true);
  };
  const results = () => {
    if (!q) return;
    close();
    navigate(searchHref(q));
  };
  const choose = (c: Choice) => {
    close();
    if (c.hit) navigate(hitHref(c.hit));
    else results();
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

  // The choice the arrow keys reach stays in the list's view (the list
  // scrolls, never the page); run when the choice moves, not on every
  // drawing.
  useEffect(() => {
    const box = list.current;
    const row = current >= 0 ? document.getElementById(choiceId(current)) : null;
    if (!box || !row) return;
    if (row.offsetTop < box.scrollTop) box.scrollTop = row.offsetTop;
    else if (row.offsetTop + row.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = row.offsetTop + row.offsetHeight - box.clientHeight;
  }, [current]);

  if (phone) {
    return (
      <Button type="text" className="shell-header-button" icon={<SearchOutlined aria-hidden />} aria-label={t('search.box')}
        title={t('search.box')} onClick={focus} />
    );
  }

  const step = (by: number) => {
    if (!shown) {
      show();
      return;
    }
    if (choices.length === 0) return;
    const next = current < 0 ? (by > 0 ? 0 : choices.length - 1) : (current + by + choices.length) % choices.length;
    setActive(choices[next].key);
  };
  const row = (c: Choice, i: number) => (
    <div key={c.key} id={choiceId(i)} role="option" aria-selected={i === current}
      className={`header-search-choice${i === current ? ' header-search-choice-active' : ''}`}
      style={{
        padding: rowPadding, borderRadius: token.borderRadiusSM,
        background: i === current ? token.controlItemBgActive : undefined,
      }}
      onClick={() => choose(c)}>
      {c.label}
    </div>
  );
  let n = 0;
  return (
    <div className="header-search" ref={wrap}
      onBlur={(e) => {
        // Focus gone from the box and its list: the list closes.
        if (!wrap.current?.contains(e.relatedTarget as Node | null)) close();
      }}>
      <Input ref={input} role="combobox" aria-label={t('search.box')} placeholder={t('search.placeholder')} allowClear maxLength={500}
        aria-autocomplete="list" aria-expanded={shown} aria-controls={shown ? `${id}-list` : undefined}
        aria-activedescendant={current >= 0 ? choiceId(current) : undefined}
        prefix={<SearchOutlined aria-hidden />} value={text} autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          setActive(null);
          show();
        }}
        onClick={show}
        onKeyDown={(e) => {
          // Keys that compose a letter (an input method) are the method's.
          if (e.nativeEvent.isComposing || e.keyCode === 229) return;
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            step(e.key === 'ArrowDown' ? 1 : -1);
          } else if (e.key === 'Enter') {
            // Enter on a choice takes it; otherwise the results page.
            e.preventDefault();
            if (current >= 0) choose(choices[current]);
            else results();
          } else if (e.key === 'Escape' && shown) {
            e.preventDefault();
            close();
          }
        }} />
      <div role="status" className="header-search-status">{shown ? content.said : ''}</div>
      {shown && (
        <div ref={list} id={`${id}-list`} role="listbox" aria-label={t('search.box')} className="header-search-list"
          // A click in the list leaves the focus in the box.
          onMouseDown={(e) => e.preventDefault()}
          style={{
            width: `min(${LIST_WIDTH}px, calc(100vw - ${2 * EDGE}px))`, marginInlineStart: -shift,
            background: token.colorBgElevated, borderRadius: token.borderRadiusLG, boxShadow: token.boxShadowSecondary,
            padding: token.paddingXXS, zIndex: token.zIndexPopupBase + 50,
          }}>
          {'note' in content ? (
            <div role="option" aria-disabled="true" aria-selected={false} className="header-search-note"
              style={{ padding: rowPadding, color: token.colorTextSecondary }}>
              {content.failed ? <Typography.Text type="danger">{content.note}</Typography.Text> : content.note}
            </div>
          ) : (
            <>
              {content.groups.map((g) => (
                <div key={g.title} role="group" aria-label={g.title}>
                  <div aria-hidden className="header-search-group"
                    style={{ padding: `${token.paddingXXS}px ${token.paddingSM}px`, color: token.colorTextSecondary, fontSize: token.fontSizeSM }}>
                    {g.title}
                  </div>
                  {g.choices.map((c) => row(c, n++))}
                </div>
              ))}
              {row(content.all, n++)}
            </>
          )}
        </div>
      )}
    </div>
  );
}
