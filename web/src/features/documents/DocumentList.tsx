import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Flex, Input, Select, Space, TreeSelect, Typography, type InputRef } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { get } from '../../app/api';
import type { Doc } from './types';
import type { Page } from '../../app/api-types';
import { tKey, useI18n, type MessageKey } from '../../app/i18n';
import { usePaged } from '../../app/usePaged';
import { formatDate } from '../../shared/format';
import { deadlineStatus } from './deadline';
import { useDueSoonWindow } from '../../shared/calendar';
import { describe } from '../../shared/errors';
import { useSession } from '../../app/session';
import { unitName, unitTree, unitsWithin } from '../../shared/units';
import { DatePicker } from '../../shared/DatePicker';
import { dayOf, isoDateOf } from '../../shared/today';
import WorkList, { ColumnChoiceButton, type WorkListColumn } from '../../shared/WorkList';
import { useColumnChoice, useNarrowScreen } from '../../shared/workList';
import { ClassificationTag, StateTag, UrgencyTag } from './Tags';
import { useDocTypeOptions } from './docTypes';
import { docDay, docRowName, docTypeName } from './labels';
import {
  CONG_VAN, URGENCIES, filtered, filtersByUnit, filtersFromSearch, listQuery, searchOfFilters, statesOf,
  type Box, type ListFilters,
} from './listFilters';

export type { Box } from './listFilters';

const TITLES: Record<Box, MessageKey> = {
  all: 'menu.all', drafts: 'menu.drafts', awaiting_approval: 'menu.awaitingApproval',
  awaiting_assignment: 'menu.awaitingAssignment', inbox: 'menu.inbox', outgoing: 'menu.outgoing',
  incoming: 'menu.incoming', received: 'menu.received', to_issue: 'menu.toIssue',
};

const ROW_COLORS = { overdue: '#fff1f0', due_soon: '#fff7e6', normal: undefined };
const DEADLINE_COLORS = { overdue: '#cf1322', due_soon: '#ad4e00', normal: undefined };

// One box of documents, paginated on the server, filtered by what the URL
// says (listFilters.ts), shown as a WorkList: a table with the columns the
// person chose, or cards on a narrow screen.
export default function DocumentList({ box }: { box: Box }) {
  const { t } = useI18n();
  const { user, units } = useSession();
  const [params, setParams] = useSearchParams();
  const query = params.toString();
  const f = useMemo(() => filtersFromSearch(new URLSearchParams(query), box), [query, box]);
  const key = searchOfFilters(f).toString();
  const update = (next: Partial<ListFilters>) => setParams(searchOfFilters({ ...f, ...next }));

  const [text, setText] = useState(f.q ?? '');
  useEffect(() => setText(f.q ?? ''), [f.q]);
  const searchRef = useRef<InputRef>(null);
  const narrow = useNarrowScreen();
  const { choice, choose } = useColumnChoice('documents', user?.id);
  const window = useDueSoonWindow();
  const typeOptions = useDocTypeOptions().map((o) => ({ ...o, value: o.value || CONG_VAN }));
  const states = statesOf(box);
  const reach = useMemo(() => unitTree(unitsWithin(units, user?.unit_id)), [units, user?.unit_id]);
  const byUnit = filtersByUnit(box) && (reach.length > 1 || (reach[0]?.children.length ?? 0) > 0);

  const list = usePaged<Doc>(
    (cursor, signal) => get<Page<Doc>>('/documents', listQuery(box, f, cursor), signal),
    `${box}|${key}`,
  );
  const status = (d: Doc) => deadlineStatus(d.deadline, d.state, window.today, window.until);
  const number = (d: Doc) => (d.direction === 'outgoing'
    ? d.number_symbol || t('common.none')
    : <>{d.arrival_number ? <strong>{d.arrival_number}</strong> : null}{d.arrival_number ? ' · ' : ''}{d.original_number_symbol}</>);
  const deadline = (d: Doc) => {
    const s = status(d);
    return (
      <span style={{ color: DEADLINE_COLORS[s] }}>
        {formatDate(d.deadline)}
        {s !== 'normal' ? ` · ${t(s === 'overdue' ? 'doc.overdue' : 'doc.dueSoon')}` : ''}
      </span>
    );
  };

  const columns: WorkListColumn<Doc>[] = [
    { key: 'number', title: t('doc.numberSymbol'), width: 170, optional: true, render: number },
    ...(box === 'all' ? [{
      key: 'direction', title: t('doc.inOut'), width: 80, optional: true,
      render: (d: Doc) => t(d.direction === 'incoming' ? 'doc.in' : 'doc.out'),
    }] : []),
    { key: 'type', title: t('doc.type'), width: 130, optional: true, hiddenByDefault: true, render: (d) => docTypeName(t, d.type_code) },
    {
      key: 'subject', title: t('doc.subject'),
      render: (d) => (
        <Space size={4} wrap>
          {/* The row is the list's Tab stop; the link is for the mouse. */}
          <Link to={`/documents/${d.id}`} tabIndex={-1}>{d.subject}</Link>
          <UrgencyTag urgency={d.urgency} />
          <ClassificationTag classification={d.classification} />
        </Space>
      ),
    },
    {
      key: 'from', title: t('doc.issuer'), width: 200, optional: true,
      render: (d) => (d.direction === 'incoming' ? d.issuer_name : unitName(units, d.unit_id)),
    },
    { key: 'date', title: t('doc.date'), width: 110, optional: true, render: (d) => formatDate(docDay(d)) },
    { key: 'deadline', title: t('doc.deadline'), width: 170, optional: true, render: deadline },
    { key: 'state', title: t('doc.state'), width: 130, optional: true, render: (d) => <StateTag state={d.state} /> },
  ];

  const card = (d: Doc) => (
    <>
      <Flex justify="space-between" align="start" gap={8}>
        <span>{number(d)}</span>
        <StateTag state={d.state} />
      </Flex>
      <div style={{ margin: '4px 0' }}>
        <Typography.Text strong>{d.subject}</Typography.Text> <UrgencyTag urgency={d.urgency} />
        <ClassificationTag classification={d.classification} />
      </div>
      <Flex justify="space-between" gap={8} wrap>
        <Typography.Text type="secondary">
          {box === 'all' ? `${t(d.direction === 'incoming' ? 'doc.in' : 'doc.out')} · ` : ''}{formatDate(docDay(d))}
        </Typography.Text>
        {d.deadline ? <span>{t('doc.deadline')}: {deadline(d)}</span> : null}
      </Flex>
    </>
  );

  // On a phone two filters a line, the unit tree one.
  const wide = narrow ? 'calc(50% - 4px)' : undefined;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{t(TITLES[box])}</Typography.Title>
        <Input.Search
          ref={searchRef}
          aria-label={t('doc.search')}
          placeholder={t('doc.search')}
          allowClear
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(v) => update({ q: v.trim() || undefined })}
          style={{ width: narrow ? '100%' : 360 }}
          maxLength={200}
        />
      </Flex>
      <Flex gap={8} wrap align="center">
        <DatePicker aria-label={t('filter.from')} placeholder={t('filter.from')} style={{ width: wide ?? 150 }}
          value={f.from ? dayOf(f.from) : null}
          disabledDate={(d) => !!f.to && isoDateOf(d) > f.to}
          onChange={(d) => update({ from: d && !Array.isArray(d) ? isoDateOf(d) : undefined })} />
        <DatePicker aria-label={t('filter.to')} placeholder={t('filter.to')} style={{ width: wide ?? 150 }}
          value={f.to ? dayOf(f.to) : null}
          disabledDate={(d) => !!f.from && isoDateOf(d) < f.from}
          onChange={(d) => update({ to: d && !Array.isArray(d) ? isoDateOf(d) : undefined })} />
        <Select aria-label={t('doc.type')} placeholder={t('doc.type')} style={{ width: wide ?? 200 }} allowClear showSearch
          optionFilterProp="label" options={typeOptions} value={f.type}
          onChange={(v?: string) => update({ type: v || undefined })} />
        {states.length > 1 && (
          <Select aria-label={t('doc.state')} placeholder={t('doc.state')} style={{ width: wide ?? 160 }} allowClear
            options={states.map((s) => ({ value: s, label: tKey(t, `state.${s}`) }))} value={f.state}
            onChange={(v?: string) => update({ state: v || undefined })} />
        )}
        <Select aria-label={t('doc.urgency')} placeholder={t('doc.urgency')} style={{ width: wide ?? 140 }} allowClear
          options={URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) }))} value={f.urgency}
          onChange={(v?: ListFilters['urgency']) => update({ urgency: v || undefined })} />
        {byUnit && (
          <TreeSelect aria-label={t('doc.unit')} placeholder={t('doc.unit')} style={{ width: narrow ? '100%' : 240 }} allowClear
            treeData={reach} treeDefaultExpandAll showSearch treeNodeFilterProp="title" value={f.unit}
            onChange={(v?: number) => update({ unit: v || undefined })} />
        )}
        {filtered({ ...f, q: undefined }) && <Button onClick={() => setParams(searchOfFilters({ q: f.q }))}>{t('filter.clear')}</Button>}
        {!narrow && <div style={{ marginInlineStart: 'auto' }}><ColumnChoiceButton columns={columns} choice={choice} onChoose={choose} /></div>}
      </Flex>
      {list.error ? <Alert type="error" showIcon title={describe(list.error, t)} /> : null}
      <WorkList<Doc>
        items={list.items}
        itemKey={(d) => d.id}
        columns={columns}
        choice={choice}
        narrow={narrow}
        name={(d) => docRowName(d, t)}
        href={(d) => `/documents/${d.id}`}
        card={card}
        rowStyle={(d) => ({ background: ROW_COLORS[status(d)] })}
        rowData={(d) => ({ 'data-deadline': status(d) })}
        loading={list.loading}
        empty={t('doc.empty')}
        label={t(TITLES[box])}
        searchRef={searchRef}
        resetKey={`${box}|${key}`}
      />
      {list.hasMore && (
        <Button onClick={() => void list.loadMore()} loading={list.loading}>{t('common.loadMore')}</Button>
      )}
      {!narrow && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('list.keys')}</Typography.Text>}
    </Space>
  );
}
