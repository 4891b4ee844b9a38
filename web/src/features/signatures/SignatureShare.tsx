import { Alert, Card, Col, Progress, Row, Space, Statistic, Tag, Typography } from 'antd';
import { get } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { useQuery } from '../../app/useQuery';
import { describe } from '../../shared/errors';
import { formatDate } from '../../shared/format';
import { formatPercent, yearToDate, type Share } from './signatures';

// The leader's unit this year: how many documents issued carried both the
// leader's and the organisation's signature, against the 80 % target.
export default function SignatureShare() {
  const { t, lang } = useI18n();
  const { user, today } = useSession();
  const unitId = user?.unit_id;
  const { data: share, error } = useQuery(unitId === undefined ? null : `share:${unitId}:${today}`, (signal) =>
    get<Share>('/signatures/share', { unit_id: unitId, ...yearToDate(today) }, signal));
  const title = t('share.title');
  if (error) return <Alert type="error" showIcon title={`${title}: ${describe(error, t)}`} />;
  if (!share) return <Card size="small" title={title} loading />;
  const color = share.meets_target ? '#389e0d' : '#d46b08';
  return (
    <Card size="small" title={title} data-testid="signature-share"
      extra={<Typography.Text type="secondary">{t('share.period', { from: formatDate(share.from), to: formatDate(share.to) })}</Typography.Text>}>
      <Row gutter={16} align="middle">
        <Col xs={24} md={8}>
          <Progress type="dashboard" percent={Math.round(share.ratio * 1000) / 10} strokeColor={color}
            format={() => formatPercent(share.ratio, lang)} aria-label={title} />
        </Col>
        <Col xs={12} md={5}><Statistic title={t('share.issued')} value={share.issued} /></Col>
        <Col xs={12} md={5}><Statistic title={t('share.bothSigned')} value={share.both_signed} valueStyle={{ color }} /></Col>
        <Col xs={24} md={6}>
          <Space orientation="vertical">
            <Typography.Text>{t('share.target', { target: formatPercent(share.target, lang) })}</Typography.Text>
            <Tag color={share.meets_target ? 'green' : 'orange'}>{share.meets_target ? t('share.met') : t('share.notMet')}</Tag>
          </Space>
        </Col>
      </Row>
    </Card>
  );
}
