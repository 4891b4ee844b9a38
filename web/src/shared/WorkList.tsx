import { useCallback, useEffect, useId, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { Button, Checkbox, Empty, Spin, Table } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useI18n } from '../app/i18n';
import { isShown, isTyping, nextIndex, type ColumnChoice, type ColumnSpec } from './workList';

// A list people work in (docs/web.md, "Lists"): a table on wide screens,
// cards on narrow ones (< 768 px), the same keys on both. One Tab stop for
// the whole list: the selected row is tabbable, the others are not (a
// roving tabindex); j and k move the selection (and the focus) a row down
// or up, as the arrow keys do on a row, Enter opens the row, / goes to the
// search box — none of them while the person types in a field. Each row is
// named for screen readers by `name`.

export interface WorkListColumn<T> extends ColumnSpec {
  title: string;
  width?: number;
  render: (item: T) => ReactNode;
}

interface Props<T> {
  items: T[];
  itemKey: (item: T) => number | string;
  columns: WorkListColumn<T>[];
  choice: ColumnChoice; // which optional columns the person chose (useColumnChoice)
  narrow: boolean; // cards instead of a table (useNarrowScreen)
  name: (item: T) => string; // a row's accessible name
  href: (item: T) => string; // what a row opens
  card: (item: T) => ReactNode; // a card's content
  rowStyle?: (item: T) => CSSProperties | undefined;
  rowData?: (item: T) => Record<`data-${string}`, string>;
  loading: boolean;
  empty: string;
  label: string; // the list's name (what the page is titled)
  searchRef?: RefObject<{ focus: () => void } | null>;
  resetKey?: string; // other filters: the selection starts again
}

const STYLE = `
.chy-worklist tr.chy-row:focus-visible, .chy-worklist a.chy-card:focus-visible { outline: 2px solid #a8071a; outline-offset: -2px; }
.chy-worklist tr.chy-selected > td:first-child { box-shadow: inset 3px 0 0 #a8071a; }
.chy-worklist a.chy-card.chy-selected { border-color: #a8071a; }
`;

export default function WorkList<T>(props: Props<T>) {
  const { items, itemKey, columns, choice, narrow, name, href, card, rowStyle, rowData, loading, empty, label, searchRef, resetKey } = props;
  const navigate = useNavigate();
  const container = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<number | null>(null);
  useEffect(() => setSelected(null), [resetKey]);
  const count = items.length;
  const current = selected !== null && selected >= count ? (count ? count - 1 : null) : selected;

  const select = useCallback((index: number | null) => {
    if (index === null) return;
    setSelected(index);
    container.current?.querySelector<HTMLElement>(`[data-row-index="${index}"]`)?.focus();
  }, []);

  // j, k and / from anywhere on the page but a field.
  const latest = useRef({ current, count, select, searchRef });
  latest.current = { current, count, select, searchRef };
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const l = latest.current;
      if (e.key === '/' && l.searchRef?.current) {
        e.preventDefault();
        l.searchRef.current.focus();
      } else if (e.key === 'j' || e.key === 'k') {
        e.preventDefault();
        l.select(nextIndex(l.current, e.key === 'j' ? 1 : -1, l.count));
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // The arrows, Home and End on a row (the page scrolls as usual elsewhere).
  const onRowKey = (e: KeyboardEvent, index: number, item: T) => {
    const to = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: count - 1 }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      select(nextIndex(to, 0, count));
    } else if (e.key === 'Enter' && !narrow) {
      e.preventDefault();
      navigate(href(item));
    }
  };
  const tabbable = current ?? 0;
  const rowProps = (item: T, index: number) => ({
    'data-row-index': index,
    tabIndex: index === tabbable ? 0 : -1,
    // A row of the table is named for what it holds; a card is a link whose
    // visible text is its name (a label of its own would hide it: axe's
    // label-content-name-mismatch).
    'aria-label': narrow ? undefined : name(item),
    onFocus: () => setSelected(index),
    onKeyDown: (e: KeyboardEvent) => onRowKey(e, index, item),
  });

  let list: ReactNode;
  if (narrow) {
    list = loading && count === 0 ? <Spin style={{ display: 'block', padding: 24 }} />
      : count === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> : (
        <ul aria-label={label} style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 8 }}>
          {items.map((item, index) => (
            <li key={itemKey(item)} style={{ minWidth: 0 }}>
              <Link to={href(item)} {...rowProps(item, index)} {...rowData?.(item)}
                className={`chy-card${index === current ? ' chy-selected' : ''}`}
                style={{
                  display: 'block', padding: '8px 12px', border: '1px solid #d9d9d9', borderRadius: 6, color: 'inherit',
                  overflowWrap: 'anywhere', ...rowStyle?.(item),
                }}>
                {card(item)}
              </Link>
            </li>
          ))}
        </ul>
      );
  } else {
    list = (
      <Table<T>
        size="small"
        rowKey={(item) => itemKey(item)}
        dataSource={items}
        loading={loading}
        pagination={false}
        locale={{ emptyText: empty }}
        rowClassName={(_, index) => `chy-row${index === current ? ' chy-selected' : ''}`}
        onRow={(item, index = 0) => ({
          ...rowProps(item, index),
          ...rowData?.(item),
          onDoubleClick: () => navigate(href(item)),
          style: { cursor: 'pointer', ...rowStyle?.(item) },
        }) as React.HTMLAttributes<HTMLElement>}
        columns={columns.filter((c) => isShown(c, choice)).map((c) => ({
          title: c.title, key: c.key, width: c.width, render: (_: unknown, item: T) => c.render(item),
        }))}
      />
    );
  }
  return (
    <div ref={container} className="chy-worklist">
      <style>{STYLE}</style>
      {list}
    </div>
  );
}

// The button that lets a person choose the optional columns: a panel of
// check boxes right after it (in the Tab order, unlike a popup), closed by
// the button again, Escape or a click elsewhere.
export function ColumnChoiceButton({ columns, choice, onChoose }: {
  columns: (ColumnSpec & { title: string })[];
  choice: ColumnChoice;
  onChoose: (key: string, shown: boolean) => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const panelId = useId();
  useEffect(() => {
    if (!open) return undefined;
    const away = (e: MouseEvent) => { if (!box.current?.contains(e.target as Node)) setOpen(false); };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  return (
    <div ref={box} style={{ position: 'relative' }}
      onKeyDown={(e) => { if (e.key === 'Escape' && open) { e.stopPropagation(); setOpen(false); } }}>
      <Button icon={<SettingOutlined />} aria-expanded={open} aria-controls={open ? panelId : undefined} onClick={() => setOpen(!open)}>
        {t('list.columns')}
      </Button>
      {open && (
        <div id={panelId} role="group" aria-label={t('list.columns')} style={{
          position: 'absolute', insetInlineEnd: 0, top: '100%', marginTop: 4, zIndex: 10, display: 'grid',
          gap: 4, padding: '8px 12px', background: '#fff', border: '1px solid #d9d9d9', borderRadius: 6,
          boxShadow: '0 6px 16px rgba(0,0,0,0.08)', whiteSpace: 'nowrap',
        }}>
          {columns.filter((c) => c.optional).map((c) => (
            <Checkbox key={c.key} checked={isShown(c, choice)} onChange={(e) => onChoose(c.key, e.target.checked)}>
              {c.title}
            </Checkbox>
          ))}
        </div>
      )}
    </div>
  );
}
