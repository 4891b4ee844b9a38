import { Fragment, useEffect, useMemo, useRef } from 'react';
import { Alert, Card, Col, Collapse, Descriptions, Empty, Flex, Result, Row, Space, Spin, Tag, Tree, Typography } from 'antd';
import { CheckOutlined, LinkOutlined } from '@ant-design/icons';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, get } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { useQuery } from '../../app/useQuery';
import { DatePicker } from '../../shared/DatePicker';
import { describe } from '../../shared/errors';
import { formatDate } from '../../shared/format';
import { useScreen } from '../../shared/screen';
import { dayOf, isoDateOf } from '../../shared/today';
import { StatusTag } from './parts';
import { articleHeading, citationHref, citationPieces, legalHref, outlineTree, relationLabel, type OutlineNode } from './search';
import type { Article, LegalDocumentDetail, Relation } from './types';
import './search.css';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

// One legal document (/legal/:id): what it is, where it stands on a chosen
// day (?on=, today by default), its relations both ways, its outline beside
// its articles. Each article is an anchor (#article-12) with a link to copy;
// citations inside the text lead to what they cite.
export default function LegalDocumentPage() {
  const { id } = useParams();
  const docId = Number(id);
  const { t } = useI18n();
  const { today } = useSession();
  const { hash } = useLocation();
  const navigate = useNavigate();
  const narrow = useScreen() !== 'desktop';
  const [params, setParams] = useSearchParams();
  const chosen = params.get('on');
  const on = chosen && DAY.test(chosen) ? chosen : today;

  const q = useQuery(Number.isInteger(docId) && docId > 0 ? `legal/${docId}?on=${on}` : null,
    (signal) => get<LegalDocumentDetail>(`/legal/documents/${docId}`, { on }, signal), { keep: true });
  const d = q.data?.id === docId ? q.data : undefined;

  // The article the address names: brought into view (and focused) once
  // the text is there, and again when a link inside the page names another.
  const target = hash.startsWith('#article-') ? hash.slice(1) : '';
  const shown = useRef('');
  useEffect(() => {
    if (!d || !target || shown.current === `${d.id}${target}`) return;
    const el = document.getElementById(target);
    if (!el) return;
    shown.current = `${d.id}${target}`;
    el.scrollIntoView({ block: 'start' });
    el.focus({ preventScroll: true });
  }, [d, target]);
  useEffect(() => {
    shown.current = '';
  }, [hash]);

  const tree = useMemo(() => (d ? outlineTree(d.outline) : []), [d]);

  if (!Number.isInteger(docId) || docId <= 0) return <Result status="404" subTitle={t('legal.notFound')} />;
  if (q.error && !d) {
    const code = q.error instanceof ApiError ? q.error.problem.code : '';
    if (code === 'not_found') return <Result status="404" title="404" subTitle={t('legal.notFound')} />;
    return <Alert type="error" showIcon title={describe(q.error, t)} />;
  }
  if (!d) return <Spin style={{ display: 'block', padding: 48 }} />;

  const outline = tree.length > 0 && (
    <nav aria-label={t('legal.outline')}>
      <Tree<OutlineNode & { title: string }> treeData={toTreeData(tree)} defaultExpandAll blockNode
        selectedKeys={target ? [target] : []}
        onSelect={(_, info) => {
          const node = info.node as unknown as { articleId?: number | null };
          if (node.articleId) navigate({ hash: `article-${node.articleId}` });
        }} />
    </nav>
  );

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Flex justify="space-between" align="start" gap={12} wrap>
          <div style={{ minWidth: 0 }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {d.number_symbol ? `${d.number_symbol} · ` : ''}{d.title}
            </Typography.Title>
            <Space size={4} wrap style={{ marginTop: 8 }}>
              <StatusTag status={d.status} />
              <Typography.Text type="secondary">{t('legal.statusOn', { date: formatDate(d.status_on || on) })}</Typography.Text>
            </Space>
          </div>
          <Flex align="center" gap={8} wrap>
            <label htmlFor="legal-on">{t('legal.on')}</label>
            <DatePicker id="legal-on" allowClear={false} value={dayOf(on)}
              onChange={(day) => {
                if (!day || Array.isArray(day)) return;
                const next = new URLSearchParams(params);
                const iso = isoDateOf(day);
                if (iso === today) next.delete('on');
                else next.set('on', iso);
                setParams(next, { replace: true });
              }} />
            {q.loading && <Spin size="small" />}
          </Flex>
        </Flex>
        {q.error ? <Alert style={{ marginTop: 8 }} type="error" showIcon title={describe(q.error, t)} /> : null}
        <Descriptions size="small" style={{ marginTop: 12 }} column={{ xs: 1, sm: 2, lg: 3 }} layout={narrow ? 'vertical' : 'horizontal'}
          items={[
            { key: 'type', label: t('doc.type'), children: d.type_name || t('common.none') },
            { key: 'issuer', label: t('doc.issuer'), children: d.issuer || t('common.none') },
            { key: 'signer', label: t('doc.signer'), children: d.signer || t('common.none') },
            { key: 'signed', label: t('legal.signedDate'), children: formatDate(d.signed_date) || t('common.none') },
            { key: 'effective', label: t('legal.effectiveDate'), children: formatDate(d.effective_date) || t('common.none') },
            { key: 'expiry', label: t('legal.expiryDate'), children: formatDate(d.expiry_date) || t('common.none') },
            { key: 'field', label: t('legal.field'), children: d.field || t('common.none') },
          ]} />
      </Card>
      {d.relations.length > 0 && (
        <Card size="small" title={t('legal.relations')}>
          <ul className="legal-relations">
            {d.relations.map((r, i) => <li key={i}><RelationLine relation={r} /></li>)}
          </ul>
        </Card>
      )}
      <Row gutter={[16, 16]}>
        {outline && (
          <Col xs={24} lg={7}>
            {narrow
              ? <Collapse size="small" items={[{ key: 'outline', label: t('legal.outline'), children: outline }]} />
              : <Card size="small" title={t('legal.outline')} className="legal-outline">{outline}</Card>}
          </Col>
        )}
        <Col xs={24} lg={outline ? 17 : 24}>
          <Card size="small" title={t('legal.articles')}>
            {d.articles.length === 0
              ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('legal.noArticles')} />
              : d.articles.map((a) => <ArticleView key={a.id} article={a} documentId={d.id} target={target === `article-${a.id}`} />)}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

function toTreeData(nodes: OutlineNode[]): (OutlineNode & { title: string })[] {
  return nodes.map((n) => ({ ...n, children: toTreeData(n.children) }));
}

// "Sửa đổi, bổ sung: 12/2022/QH15 — Luật …", linked when the other is in the database.
function RelationLine({ relation: r }: { relation: Relation }) {
  const { t } = useI18n();
  const name = [r.other_number_symbol, r.other_title].filter(Boolean).join(' — ');
  return (
    <Space size={4} wrap>
      <Tag>{relationLabel(t, r)}</Tag>
      {r.other_id ? <Link to={legalHref(r.other_id)}>{name}</Link>
        : <span>{name} <Typography.Text type="secondary">({t('legal.notInDatabase')})</Typography.Text></span>}
    </Space>
  );
}

// An article: its heading with a link to copy, its text with each citation
// a link.
function ArticleView({ article: a, documentId, target }: { article: Article; documentId: number; target: boolean }) {
  const { t } = useI18n();
  const headingId = `article-${a.id}-heading`;
  const pieces = citationPieces(a.text, a.citations);
  const url = `${window.location.origin}${legalHref(documentId, a.id)}`;
  return (
    <section id={`article-${a.id}`} tabIndex={-1} aria-labelledby={headingId}
      className={target ? 'legal-article legal-article-target' : 'legal-article'}>
      <Flex align="baseline" gap={4}>
        <Typography.Title level={5} id={headingId} style={{ margin: 0 }}>{articleHeading(a)}</Typography.Title>
        <Typography.Text copyable={{
          text: url, tooltips: [t('legal.copyLink'), t('legal.copied')], icon: [<LinkOutlined key="copy" />, <CheckOutlined key="done" />],
        }} />
      </Flex>
      <div className="legal-article-text">
        {pieces.map((p, i) => (p.citation
          ? <Link key={i} to={citationHref(p.citation, a.text)} className="legal-citation">{p.text}</Link>
          : <Fragment key={i}>{p.text}</Fragment>))}
      </div>
    </section>
  );
}
