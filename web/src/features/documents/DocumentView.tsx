import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Collapse, Empty, List, Result, Row, Space, Spin, Tabs, Timeline, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../app/api';
import { tKey, useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { describe } from '../../shared/errors';
import { formatDate, formatDateTime } from '../../shared/format';
import { unitName } from '../../shared/units';
import { actionLabel } from '../audit/audit';
import { ExchangeCard } from '../exchange/ExchangeCard';
import { DeclassifyCard, DeclassifyDialog, usePendingDeclassification } from '../org/Declassify';
import { SignaturesCard } from '../signatures/Signatures';
import { RECALL_ANSWERS, visibleActions } from './actions';
import { DocumentDetails } from './DocumentDetails';
import { Comments, Entries, Files } from './DocumentFiles';
import { ClassificationTag, StateTag, UrgencyTag } from './Tags';
import type { DocDetail, FileInfo } from './types';
import { useDocumentActions } from './useDocumentActions';
import { useDocumentPage } from './useDocumentPage';
import { PRINT_NOW } from '../../shared/PrintView';
import { useScreen } from '../../shared/screen';

function fileUrl(docId: number, f: FileInfo) {
  return `/api/v1/documents/${docId}/files/${f.sha256}`;
}

// The PDF to show: the one the latest signature row speaks of (the signed
// file once signed, the checked one on a received copy), else the latest
// version, else a scan or attachment. Versions come without a content type;
// their name tells.
function previewFile(d: DocDetail): FileInfo | undefined {
  const pdf = (f: FileInfo) => f.content_type === 'application/pdf' || (!f.content_type && /\.pdf$/i.test(f.file_name));
  const files = [...d.versions, ...d.attachments];
  const signed = [...(d.signatures || [])].reverse().map((s) => files.find((f) => f.sha256 === s.sha256)).find(Boolean);
  return signed || [...d.versions].reverse().find(pdf) || d.attachments.find(pdf);
}

export default function DocumentView() {
  const { id } = useParams();
  const docId = Number(id);
  const { t } = useI18n();
  const navigate = useNavigate();
  const { user, units, personName, has } = useSession();
  const phone = useScreen() === 'phone';
  const { doc, timeline, error, reload } = useDocumentPage(docId);
  const [declassifying, setDeclassifying] = useState(false);
  // Giải mật: a leader proposes a lower classification, a security officer approves.
  const mayProposeDeclassification = !!doc && doc.classification !== 'normal' && has('leader');
  const declassification = usePendingDeclassification(doc, has('leader', 'security_officer'));

  const actions = useMemo(() => (doc && user ? visibleActions(doc.allowed_actions, user.roles) : []), [doc, user]);
  const run = useDocumentActions(doc, reload);

  if (Number.isNaN(docId)) return <Result status="404" subTitle={t('doc.notFound')} />;
  if (error) {
    const code = error instanceof ApiError ? error.problem.code : '';
    if (code === 'not_found' || code === 'forbidden') {
      return <Result status="404" title="404" subTitle={t('doc.notFound')}
        extra={<Button onClick={() => navigate(-1)}>{t('common.back')}</Button>} />;
    }
    return <Alert type="error" showIcon title={describe(error, t)} />;
  }
  if (!doc) return <Spin />;

  const sections = [
    {
      key: 'timeline', label: t('doc.timeline'),
      children: (
        <Timeline items={timeline.map((e) => ({
          children: (
            <span>
              <strong>{actionLabel(t, e.action, e.object_type)}</strong>
              {' · '}{e.actor_id ? personName(e.actor_id) : t('audit.system')}{' · '}{formatDateTime(e.at)}
            </span>
          ),
        }))} />
      ),
    },
    {
      key: 'assignments', label: `${t('doc.assignments')} (${doc.assignments.length})`,
      children: (
        <List size="small" dataSource={doc.assignments} locale={{ emptyText: t('common.none') }}
          renderItem={(a) => (
            <List.Item>
              <Space orientation="vertical" size={0}>
                <span>
                  <strong>{a.lead_user_id ? personName(a.lead_user_id) : unitName(units, a.lead_unit_id)}</strong>
                  {a.supporting_unit_ids.length > 0 && ` · ${t('assign.supporting')}: ${a.supporting_unit_ids.map((u) => unitName(units, u)).join(', ')}`}
                  {a.deadline && ` · ${t('doc.deadline')}: ${formatDate(a.deadline)}`}
                </span>
                {a.directive && <Typography.Text type="secondary">{a.directive}</Typography.Text>}
                <Typography.Text type="secondary">
                  {personName(a.assigned_by)} · {formatDateTime(a.created_at)} · {t(a.state === 'open' ? 'state.assigned' : 'state.completed')}
                </Typography.Text>
              </Space>
            </List.Item>
          )} />
      ),
    },
    {
      key: 'notes', label: `${t('doc.processingNotes')} (${doc.processing_notes.length})`,
      children: <Entries entries={doc.processing_notes} />,
    },
    {
      key: 'comments', label: `${t('doc.comments')} (${doc.comments.length})`,
      children: <Comments docId={doc.id} entries={doc.comments} onPosted={reload} />,
    },
  ];
  const preview = previewFile(doc);
  const numberText = doc.direction === 'outgoing' ? doc.number_symbol : doc.original_number_symbol;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap align="start">
        <div>
          <Typography.Text type="secondary">
            {t(`doc.direction.${doc.direction}`)} {numberText ? `· ${numberText}` : ''}
          </Typography.Text>
          <Typography.Title level={4} style={{ margin: '4px 0' }}>{doc.subject}</Typography.Title>
          <Space size={4}>
            <StateTag state={doc.state} />
            <UrgencyTag urgency={doc.urgency} />
            <ClassificationTag classification={doc.classification} />
          </Space>
        </div>
        <Space wrap>
          {actions.filter((a) => !RECALL_ANSWERS.includes(a)).map((a) => (
            <Button key={a} loading={run.busy} onClick={() => run.start(a)}
              type={['approve_sign', 'number_issue', 'submit', 'complete', 'assign', 'register'].includes(a) ? 'primary' : 'default'}
              danger={['send_back', 'return', 'recall', 'withdraw'].includes(a)}>
              {tKey(t, `action.${a}`)}
            </Button>
          ))}
          {doc.direction === 'incoming' && user?.roles.some((r) => ['specialist', 'leader', 'clerk'].includes(r)) && (
            <Button onClick={() => navigate(`/documents/new?reply_to=${doc.id}`)}>{t('action.reply')}</Button>
          )}
          {mayProposeDeclassification && !declassification.pending && (
            <Button onClick={() => setDeclassifying(true)}>{t('declassify.propose')}</Button>
          )}
          <Button icon={<PrinterOutlined aria-hidden />} onClick={() => navigate(`/documents/${doc.id}/print`, PRINT_NOW)}>
            {t('common.print')}
          </Button>
          {doc.direction === 'incoming' && (
            <Button icon={<PrinterOutlined aria-hidden />} onClick={() => navigate(`/documents/${doc.id}/slip`, PRINT_NOW)}>
              {t('slip.print')}
            </Button>
          )}
        </Space>
      </Space>
      {declassification.pending && <DeclassifyCard approval={declassification.pending} />}
      {doc.return_reason && (
        <Alert type="warning" showIcon title={`${t('doc.returnReason')}: ${doc.return_reason}`} />
      )}
      <Row gutter={16}>
        <Col xs={24} xl={13}>
          <Card size="small" title={t('doc.preview')} extra={preview && (
            // A phone's browser may not show a PDF inside the page: the file itself, in a tab of its own.
            <a href={fileUrl(doc.id, preview)} target="_blank" rel="noreferrer">{t('doc.openFile')}</a>
          )}>
            {preview ? (
              <iframe title={t('doc.preview')} src={fileUrl(doc.id, preview)}
                style={{ width: '100%', height: phone ? '60vh' : 640, border: 0 }} />
            ) : (
              <Empty description={t('doc.noPreview')} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={11}>
          <DocumentDetails doc={doc} />
          <Files doc={doc} onChanged={reload} />
        </Col>
      </Row>
      {((doc.signatures?.length ?? 0) > 0 || doc.versions.length > 0) && (
        <SignaturesCard docId={doc.id} signatures={doc.signatures || []} />
      )}
      <ExchangeCard doc={doc} busy={run.busy} onAction={run.start}
        actions={actions.filter((a) => RECALL_ANSWERS.includes(a))} />
      <Card size="small">
        {/* Side by side as tabs; on a phone, where four tabs do not fit, one under the other. */}
        {phone ? <Collapse ghost defaultActiveKey={['timeline']} items={sections} />
          : <Tabs items={sections} />}
      </Card>
      {run.dialogs}
      {declassifying && (
        <DeclassifyDialog doc={doc} onClose={(proposed) => {
          setDeclassifying(false);
          if (proposed) void declassification.reload();
        }} />
      )}
    </Space>
  );
}
