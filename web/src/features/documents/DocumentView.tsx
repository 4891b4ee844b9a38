import { useEffect, useMemo, useState } from 'react';
import {
  Alert, App, Button, Card, Col, Descriptions, Empty, List, Result, Row, Space, Spin, Tabs, Timeline, Typography,
} from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, get, post } from '../../app/api';
import type { Page } from '../../app/api-types';
import { tKey, useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { useQuery } from '../../app/useQuery';
import { explain } from '../../shared/errors';
import { formatDate, formatDateTime } from '../../shared/format';
import { unitName } from '../../shared/units';
import type { AuditRecord } from '../audit/types';
import { ExchangeCard } from '../exchange/ExchangeCard';
import { usePeers } from '../exchange/usePeers';
import { agencyName } from '../exchange/exchange';
import { DeclassifyCard, DeclassifyDialog, usePendingDeclassification } from '../org/Declassify';
import { PinDialog, SignaturesCard } from '../signatures/Signatures';
import { explainPinError, needsPin, type PinOutcome } from '../signatures/signatures';
import { NEEDS_TEXT, RECALL_ANSWERS, SEQUENCES, visibleActions } from './actions';
import { AssignDialog, TextDialog } from './DocumentDialogs';
import { Comments, Entries, Files } from './DocumentFiles';
import { ClassificationTag, StateTag, UrgencyTag } from './Tags';
import type { ActionBody, Doc, DocAfterAction, DocDetail, FileInfo } from './types';

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
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { user, units, personName, loadPeople, has } = useSession();
  const page = useQuery(Number.isNaN(docId) ? null : `document:${docId}`, async (signal) => {
    const doc = await get<DocDetail>(`/documents/${docId}`, undefined, signal);
    const timeline = await get<{ items: AuditRecord[] }>(`/documents/${docId}/timeline`, undefined, signal)
      .catch(() => ({ items: [] }));
    return { doc, timeline: timeline.items };
  });
  const doc = page.data?.doc ?? null;
  const timeline = page.data?.timeline ?? [];
  const { error, reload } = page;
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<string | null>(null);
  // A run of actions that signs, waiting for the PIN (the steps not done yet).
  const [signing, setSigning] = useState<{ name: string; steps: string[] } | null>(null);
  const [declassifying, setDeclassifying] = useState(false);
  // Giải mật: a leader proposes a lower classification, a security officer approves.
  const mayProposeDeclassification = !!doc && doc.classification !== 'normal' && has('leader');
  const declassification = usePendingDeclassification(doc, has('leader', 'security_officer'));

  useEffect(() => {
    if (!page.data) return;
    const { doc: d, timeline: events } = page.data;
    loadPeople([
      d.created_by, ...events.map((e) => e.actor_id), ...d.comments.map((c) => c.user_id),
      ...d.processing_notes.map((c) => c.user_id), ...d.assignments.flatMap((a) => [a.lead_user_id, a.assigned_by]),
      ...d.attachments.map((f) => f.created_by), ...d.versions.map((f) => f.created_by),
    ]);
  }, [page.data, loadPeople]);

  // Documents drafted in reply to this one (that I may see).
  const replies = useQuery(doc?.direction === 'incoming' ? `replies:${docId}:${doc.version}` : null, (signal) =>
    get<Page<Doc>>('/documents', { box: 'outgoing', reply_to: docId, limit: 20 }, signal), { keep: true }).data?.items ?? [];

  const actions = useMemo(() => (doc && user ? visibleActions(doc.allowed_actions, user.roles) : []), [doc, user]);
  const peers = usePeers((doc?.recipient_agency_codes?.length ?? 0) > 0);

  if (Number.isNaN(docId)) return <Result status="404" subTitle={t('doc.notFound')} />;
  if (error) {
    const code = error instanceof ApiError ? error.problem.code : '';
    if (code === 'not_found' || code === 'forbidden') {
      return <Result status="404" title="404" subTitle={t('doc.notFound')}
        extra={<Button onClick={() => navigate(-1)}>{t('common.back')}</Button>} />;
    }
    return <Alert type="error" showIcon message={explain(error, t).message} />;
  }
  if (!doc) return <Spin />;

  // Runs the steps in order, the PIN with `sign` only; stops at the first
  // refusal and says which steps are left.
  const runSteps = async (steps: string[], body: ActionBody, pin?: string) => {
    let current = doc;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      try {
        const r = await post<DocAfterAction>(`/documents/${docId}/actions/${step}`,
          step === 'sign' && pin !== undefined ? { ...body, pin } : body, current.version);
        current = { ...current, ...r };
      } catch (e) {
        return { error: e, remaining: steps.slice(i) };
      }
    }
    return null;
  };

  const act = async (name: string, body: ActionBody = {}) => {
    setBusy(true);
    try {
      const failed = await runSteps(SEQUENCES[name] || [name], body);
      await reload();
      if (failed) {
        message.error(explainPinError(failed.error, t).message);
        return false;
      }
      message.success(t('action.done', { action: tKey(t, `action.${name}`) }));
      setDialog(null);
      return true;
    } finally {
      setBusy(false);
    }
  };

  // The PIN dialog's submit: null when done (or failed for another reason,
  // told on the page), else what to show in the dialog.
  const signWith = async (pin: string): Promise<PinOutcome | null> => {
    if (!signing) return null;
    setBusy(true);
    try {
      const failed = await runSteps(signing.steps, {}, pin);
      await reload();
      if (!failed) {
        message.success(t('action.done', { action: tKey(t, `action.${signing.name}`) }));
        setSigning(null);
        return null;
      }
      const outcome = explainPinError(failed.error, t);
      if (outcome.pinError || outcome.locked || outcome.pinChangeRequired) {
        setSigning({ ...signing, steps: failed.remaining });
        return outcome;
      }
      message.error(outcome.message);
      setSigning(null);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const onAction = (name: string) => {
    const steps = SEQUENCES[name] || [name];
    if (needsPin(steps, doc.versions.length)) setSigning({ name, steps });
    else if (name === 'assign' || NEEDS_TEXT[name]) setDialog(name);
    else void act(name);
  };

  const preview = previewFile(doc);
  const numberText = doc.direction === 'outgoing' ? doc.number_symbol : doc.original_number_symbol;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
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
            <Button key={a} loading={busy} onClick={() => onAction(a)}
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
        </Space>
      </Space>
      {declassification.pending && <DeclassifyCard approval={declassification.pending} />}
      {doc.return_reason && (
        <Alert type="warning" showIcon message={`${t('doc.returnReason')}: ${doc.return_reason}`} />
      )}
      <Row gutter={16}>
        <Col xs={24} xl={13}>
          <Card size="small" title={t('doc.preview')}>
            {preview ? (
              <iframe title={t('doc.preview')} src={fileUrl(doc.id, preview)}
                style={{ width: '100%', height: 640, border: 0 }} />
            ) : (
              <Empty description={t('doc.noPreview')} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={11}>
          <Card size="small" title={t('doc.metadata')}>
            <Descriptions size="small" column={1} bordered labelStyle={{ width: 170 }}>
              <Descriptions.Item label={t('doc.type')}>{doc.type_code || t('doc.officialLetter')}</Descriptions.Item>
              {doc.direction === 'incoming' ? (
                <>
                  <Descriptions.Item label={t('doc.arrivalNumber')}>{doc.arrival_number ?? ''}</Descriptions.Item>
                  <Descriptions.Item label={t('doc.arrivalDate')}>{formatDate(doc.arrival_date)}</Descriptions.Item>
                  <Descriptions.Item label={t('doc.issuer')}>{doc.issuer_name}</Descriptions.Item>
                  <Descriptions.Item label={t('doc.numberSymbol')}>{doc.original_number_symbol}</Descriptions.Item>
                  <Descriptions.Item label={t('doc.originalDate')}>{formatDate(doc.original_date)}</Descriptions.Item>
                </>
              ) : (
                <>
                  <Descriptions.Item label={t('doc.numberSymbol')}>{doc.number_symbol}</Descriptions.Item>
                  <Descriptions.Item label={t('doc.issuedDate')}>{formatDate(doc.issued_date)}</Descriptions.Item>
                  <Descriptions.Item label={t('doc.recipients')}>
                    {doc.recipient_unit_ids.map((u) => unitName(units, u)).join('; ')}
                  </Descriptions.Item>
                  {(doc.recipient_agency_codes?.length ?? 0) > 0 && (
                    <Descriptions.Item label={t('doc.recipientAgencies')}>
                      {doc.recipient_agency_codes!.map((c) => agencyName(peers, c)).join('; ')}
                    </Descriptions.Item>
                  )}
                </>
              )}
              <Descriptions.Item label={t('doc.unit')}>{unitName(units, doc.unit_id)}</Descriptions.Item>
              <Descriptions.Item label={t('doc.signer')}>
                {[doc.signer_name, doc.signer_position].filter(Boolean).join(' — ')}
              </Descriptions.Item>
              <Descriptions.Item label={t('doc.deadline')}>{formatDate(doc.deadline)}</Descriptions.Item>
              {doc.page_count != null && <Descriptions.Item label={t('doc.pageCount')}>{doc.page_count}</Descriptions.Item>}
              {doc.reply_to_id && (
                <Descriptions.Item label={t('doc.replyTo')}>
                  <Link to={`/documents/${doc.reply_to_id}`}>#{doc.reply_to_id}</Link>
                </Descriptions.Item>
              )}
              {replies.length > 0 && (
                <Descriptions.Item label={t('doc.repliedBy')}>
                  <Space wrap>{replies.map((r) => <Link key={r.id} to={`/documents/${r.id}`}>{r.number_symbol || `#${r.id}`}</Link>)}</Space>
                </Descriptions.Item>
              )}
              {doc.source_document_id && (
                <Descriptions.Item label={t('doc.direction.outgoing')}>
                  <Link to={`/documents/${doc.source_document_id}`}>#{doc.source_document_id}</Link>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <Files doc={doc} onChanged={reload} />
        </Col>
      </Row>
      {((doc.signatures?.length ?? 0) > 0 || doc.versions.length > 0) && (
        <SignaturesCard docId={doc.id} signatures={doc.signatures || []} />
      )}
      <ExchangeCard doc={doc} busy={busy} onAction={onAction}
        actions={actions.filter((a) => RECALL_ANSWERS.includes(a))} />
      <Card size="small">
        <Tabs items={[
          {
            key: 'timeline', label: t('doc.timeline'),
            children: (
              <Timeline items={timeline.map((e) => {
                const action = e.action.replace(/^document\./, '');
                const known = tKey(t, `action.${action}`, tKey(t, `event.${action}`, e.action));
                return {
                  children: (
                    <span>
                      <strong>{known}</strong>
                      {' · '}{personName(e.actor_id)}{' · '}{formatDateTime(e.at)}
                    </span>
                  ),
                };
              })} />
            ),
          },
          {
            key: 'assignments', label: `${t('doc.assignments')} (${doc.assignments.length})`,
            children: (
              <List size="small" dataSource={doc.assignments} locale={{ emptyText: t('common.none') }}
                renderItem={(a) => (
                  <List.Item>
                    <Space direction="vertical" size={0}>
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
        ]} />
      </Card>
      {dialog && dialog !== 'assign' && (
        <TextDialog action={dialog} busy={busy} onCancel={() => setDialog(null)}
          onSubmit={(text) => act(dialog, { [NEEDS_TEXT[dialog]]: text })} />
      )}
      {signing && (
        <PinDialog title={tKey(t, `action.${signing.name}`)} busy={busy}
          onCancel={() => setSigning(null)} onSubmit={signWith} />
      )}
      {declassifying && (
        <DeclassifyDialog doc={doc} onClose={(proposed) => {
          setDeclassifying(false);
          if (proposed) void declassification.reload();
        }} />
      )}
      {dialog === 'assign' && (
        <AssignDialog busy={busy} onCancel={() => setDialog(null)} onSubmit={(body) => act('assign', body)} />
      )}
    </Space>
  );
}
