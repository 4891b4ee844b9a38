import { Alert, Result, Spin } from 'antd';
import { Navigate, useParams } from 'react-router-dom';
import { ApiError, get } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useQuery } from '../../app/useQuery';
import { describe } from '../../shared/errors';
import { legalHref } from './search';
import type { ArticleWithDocument } from './types';

// /legal/articles/:id — an article known by itself (a citation naming no
// document): its document's page, at the article.
export default function ArticleRedirect() {
  const { id } = useParams();
  const articleId = Number(id);
  const { t } = useI18n();
  const q = useQuery(Number.isInteger(articleId) && articleId > 0 ? `legal/article/${articleId}` : null,
    (signal) => get<ArticleWithDocument>(`/legal/articles/${articleId}`, undefined, signal));
  if (q.data) return <Navigate replace to={legalHref(q.data.document_id, q.data.id)} />;
  if (q.error) {
    const code = q.error instanceof ApiError ? q.error.problem.code : '';
    return code === 'not_found' ? <Result status="404" title="404" subTitle={t('legal.notFound')} />
      : <Alert type="error" showIcon title={describe(q.error, t)} />;
  }
  if (!Number.isInteger(articleId) || articleId <= 0) return <Result status="404" subTitle={t('legal.notFound')} />;
  return <Spin style={{ display: 'block', padding: 48 }} />;
}
