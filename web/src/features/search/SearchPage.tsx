import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Collapse, Empty, Flex, Input, Row, Segmented, Space, Spin, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { get } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { useQuery } from '../../app/useQuery';
import { useScreen } from '../../shared/screen';
import { unitName } from '../../shared/units';
import { HitLine } from './HitLine';
import {
  facetTitle, facetValueLabel, facetValues, hitHref, hitKey, searchFailure, searchFiltersFrom, searchOfFilters, searchQuery, toggleFacet,
  type SearchFilters,
} from './search';
import { FACETS, type FacetName, type Match, type SearchAnswer, type Sort } from './types';
import './search.css';

const PAGE = 20;

// The results page, /search?q=…: the hits of every kind the person may
// see, facets to narrow them (checkable, with counts), sorted by relevance
// or date, more by cursor. Everything it shows is in its URL.
export default function SearchPage() {
  const { t } = useI18n();
  const { units } = useSession();
  const narrow = useScreen() !== 'desktop';
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const f = useMemo(() => searchFiltersFrom(new URLSearchParams(search)), [search]);
  const key = searchOfFilters(f).toString();
  const update = (next: SearchFilters) => setParams(searchOfFilters(next));

  const [text, setText] = useState(f.q);
  useEffect(() => setText(f.q), [f.q]);

  // The first page with the facets; more pages are appended to it.
  const answer = useQuery<SearchAnswer>(f.q ? `search:${key}` : null,
    (signal) => get<SearchAnswer>('/search', searchQuery(f, undefined, PAGE), signal), { keep: true });
  const data = answer.data;
  const loadMore = () => {
    const cursor = data?.next_cursor;
    if (!data || !cursor) return;
    void answer.load(async (signal) => {
      const more = await get<SearchAnswer>('/search', searchQuery(f, cursor, PAGE), signal);
      return { ...data, items: [...data.items, ...more.items], next_cursor: more.next_cursor };
    });
  };

  const facet = (name: FacetName) => {
    const ticked = f.facets[name] ?? [];
    const values = facetValues(data?.facets[name], ticked);
    if (values.length === 0) return null;
    const title = facetTitle(t, name);
    return (
      <div key={name} role="group" aria-label={title} className="search-facet">
        <Typography.Text strong>{title}</Typography.Text>
        <Flex vertical gap={2} style={{ marginTop: 4 }}>
          {values.map((v) => (
            <Checkbox key={v.value} checked={ticked.includes(v.value)}
              onChange={(e) => update(toggleFacet(f, name, v.value, e.target.checked))}>
              {facetValueLabel(t, name, v, (id) => unitName(units, id))}{' '}
              <Typography.Text type="secondary">({v.count})</Typography.Text>
            </Checkbox>
          ))}
        </Flex>
      </div>
    );
  };
  const facets = FACETS.map(facet).filter(Boolean);
  const filters = facets.length ? <Flex vertical gap={16}>{facets}</Flex> : null;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('search.title')}</Typography.Title>
      <Input.Search
        aria-label={t('search.query')}
        placeholder={t('search.query')}
        autoFocus={!f.q}
        allowClear
        enterButton
        value={text}
        maxLength={500}
        onChange={(e) => setText(e.target.value)}
        onSearch={(v) => update({ ...f, q: v.trim() })}
        style={{ maxWidth: 720 }}
      />
      {!f.q ? (
        <Typography.Paragraph type="secondary">{t('search.hint')}</Typography.Paragraph>
      ) : (
        <Row gutter={[16, 16]}>
          {filters && (
            <Col xs={24} lg={6}>
              {narrow
                ? <Collapse size="small" items={[{ key: 'filters', label: t('search.filters'), children: filters }]} />
                : <Card size="small" title={t('search.filters')}>{filters}</Card>}
            </Col>
          )}
          <Col xs={24} lg={filters ? 18 : 24}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Flex justify="space-between" align="center" gap={8} wrap>
                <Typography.Text role="status">{data ? t(data.total_exact ? 'search.results' : 'search.resultsMore', { total: data.total }) : ''}</Typography.Text>
                <Space wrap>
                  <Segmented<Sort> aria-label={t('search.sort')} value={f.sort}
                    options={[{ value: 'relevance', label: t('search.sort.relevance') }, { value: 'date', label: t('search.sort.date') }]}
                    onChange={(sort) => update({ ...f, sort })} />
                  <Segmented<Match> aria-label={t('search.match')} value={f.match}
                    options={[{ value: 'all', label: t('search.match.all') }, { value: 'any', label: t('search.match.any') }]}
                    onChange={(match) => update({ ...f, match })} />
                </Space>
              </Flex>
              {answer.error ? <Alert type="error" showIcon title={searchFailure(answer.error, t)} /> : null}
              {!data && answer.loading ? <Spin style={{ display: 'block', padding: 24 }} /> : null}
              {data && data.items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('search.noHits')} /> : null}
              {data && data.items.length > 0 && (
                <ol className="search-results" aria-label={t('search.title')}>
                  {data.items.map((h) => (
                    <li key={hitKey(h)}>
                      <Link to={hitHref(h)} className="search-result-link"><HitLine hit={h} /></Link>
                    </li>
                  ))}
                </ol>
              )}
              {data?.next_cursor && (
                <Button onClick={loadMore} loading={answer.loading}>{t('common.loadMore')}</Button>
              )}
            </Space>
          </Col>
        </Row>
      )}
    </Space>
  );
}
