import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, InputNumber, List, Modal, Result,
  Row, Select, Space, Spin, Tabs, Timeline, TreeSelect, Typography, Upload,
} from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  ApiError, get, post, upload, type AuditRecord, type DocDetail, type FileInfo, type Person, type Page, type Doc,
} from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { useSession } from '../session';
import { explain } from '../errors';
import { formatDate, formatDateTime } from '../format';
import { unitName, unitTree } from '../units';
import { NEEDS_TEXT, RECALL_ANSWERS, SEQUENCES, visibleActions } from '../actions';
import { ClassificationTag, StateTag, UrgencyTag } from '../components/Tags';
import { PinDialog, SignaturesCard } from '../components/Signatures';
import { ExchangeCard, usePeers } from '../components/Exchange';
import { agencyName } from '../exchange';
import { explainPinError, needsPin, type PinOutcome } from '../signatures';
import { DeclassifyCard, DeclassifyDialog, usePendingDeclassification } from '../components/Declassify';

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
  const [doc, setDoc] = useState<DocDetail | null>(null);
  const [timeline, setTimeline] = useState<AuditRecord[]>([]);
  const [replies, setReplies] = useState<Doc[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<string | null>(null);
  // A run of actions that signs, waiting for the PIN (the steps not done yet).
  const [signing, setSigning] = useState<{ name: string; steps: string[] } | null>(null);
  const [declassifying, setDeclassifying] = useState(false);
  // Giải mật: a leader proposes a lower classification, a security officer approves.
  const mayProposeDeclassification = !!doc && doc.classification !== 'normal' && has('leader');
  const declassification = usePendingDeclassification(doc, has('leader', 'security_officer'));

  const reload = useCallback(async () => {
    try {
      const d = await get<DocDetail>(`/documents/${docId}`);
      setDoc(d);
      setError(null);
      const tl = await get<{ items: AuditRecord[] }>(`/documents/${docId}/timeline`).catch(() => ({ items: [] }));
      setTimeline(tl.items);
      loadPeople([
        d.created_by, ...tl.items.map((e) => e.actor_id), ...d.comments.map((c) => c.user_id),
        ...d.processing_notes.map((c) => c.user_id), ...d.assignments.flatMap((a) => [a.lead_user_id, a.assigned_by]),
        ...d.attachments.map((f) => f.created_by), ...d.versions.map((f) => f.created_by),
      ]);
    } catch (e) {
      setError(e);
    }
  }, [docId, loadPeople]);

  useEffect(() => {
    setDoc(null);
    void reload();
  }, [reload]);

  // Documents drafted in reply to this one (that I may see).
  useEffect(() => {
    if (!doc || doc.direction !== 'incoming') return;
    get<Page<Doc>>('/documents', { box: 'outgoing', reply_to: doc.id, limit: 20 })
      .then((p) => setReplies(p.items))
      .catch(() => undefined);
  }, [doc]);

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
  const runSteps = async (steps: string[], body: Record<string, unknown>, pin?: string) => {
    let current = doc;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      try {
        const r = await post<DocDetail>(`/documents/${docId}/actions/${step}`,
          step === 'sign' && pin !== undefined ? { ...body, pin } : body, current.version);
        current = { ...current, ...r };
      } catch (e) {
        return { error: e, remaining: steps.slice(i) };
      }
    }
    return null;
  };

  const act = async (name: string, body: Record<string, unknown> = {}) => {
    setBusy(true);
    try {
      const failed = await runSteps(SEQUENCES[name] || [name], body);
      await reload();
      if (failed) {
        message.error(explainPinError(failed.error, t).message);
        return false;
      }
      message.success(t('action.done', { action: t(`action.${name}` as MessageKey) }));
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
        message.success(t('action.done', { action: t(`action.${signing.name}` as MessageKey) }));
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
              {t(`action.${a}` as MessageKey)}
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
                const asAction = t(`action.${action}` as MessageKey);
                const asEvent = t(`event.${action}` as MessageKey);
                const known = !asAction.startsWith('action.') ? asAction : asEvent.startsWith('event.') ? e.action : asEvent;
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
                        {personName(a.assigned_by)} · {formatDateTime(a.created_at)} · {t(`state.${a.state === 'open' ? 'assigned' : 'completed'}` as MessageKey)}
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
        <PinDialog title={t(`action.${signing.name}` as MessageKey)} busy={busy}
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

function Entries({ entries }: { entries: DocDetail['comments'] }) {
  const { t } = useI18n();
  const { personName } = useSession();
  return (
    <List size="small" dataSource={entries} locale={{ emptyText: t('common.none') }}
      renderItem={(c) => (
        <List.Item>
          <List.Item.Meta title={`${personName(c.user_id)} · ${formatDateTime(c.created_at)}`} description={c.body} />
        </List.Item>
      )} />
  );
}

function Comments({ docId, entries, onPosted }: { docId: number; entries: DocDetail['comments']; onPosted: () => Promise<void> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ body: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { body: string }) => {
    setBusy(true);
    try {
      await post(`/documents/${docId}/comments`, { body: v.body });
      form.resetFields();
      await onPosted();
    } catch (e) {
      message.error(explain(e, t).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Entries entries={entries} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="body" label={t('doc.comment')} rules={[{ required: true, message: t('common.required') }, { max: 4000, message: t('common.tooLong', { max: 4000 }) }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button htmlType="submit" loading={busy}>{t('doc.addComment')}</Button>
      </Form>
    </>
  );
}

function Files({ doc, onChanged }: { doc: DocDetail; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { personName } = useSession();
  const send = (asVersion: boolean) => async (file: File) => {
    try {
      await upload(`/documents/${doc.id}/${asVersion ? 'versions' : 'attachments'}`, file, { file_name: file.name });
      await onChanged();
    } catch (e) {
      message.error(explain(e, t).message);
    }
    return false; // we uploaded it ourselves
  };
  const row = (f: FileInfo) => (
    <List.Item>
      <a href={`/api/v1/documents/${doc.id}/files/${f.sha256}`} target="_blank" rel="noreferrer">
        {f.version_no ? `v${f.version_no} · ` : ''}{f.file_name}
      </a>
      <Typography.Text type="secondary">
        {f.size > 0 ? `${Math.ceil(f.size / 1024)} KB · ` : ''}{f.note ? `${f.note} · ` : ''}{personName(f.created_by)} · {formatDateTime(f.created_at)}
      </Typography.Text>
    </List.Item>
  );
  return (
    <Card size="small" title={t('doc.attachments')} style={{ marginTop: 16 }}>
      <List size="small" dataSource={doc.attachments} renderItem={row} locale={{ emptyText: t('common.none') }} />
      {doc.direction === 'outgoing' && (
        <>
          <Typography.Text strong>{t('doc.versions')}</Typography.Text>
          <List size="small" dataSource={doc.versions} renderItem={row} locale={{ emptyText: t('common.none') }} />
        </>
      )}
      <Space style={{ marginTop: 8 }}>
        <Upload beforeUpload={send(false)} showUploadList={false}>
          <Button size="small">{t('doc.addAttachment')}</Button>
        </Upload>
        {doc.direction === 'outgoing' && doc.state === 'draft' && (
          <Upload beforeUpload={send(true)} showUploadList={false}>
            <Button size="small">{t('doc.addVersion')}</Button>
          </Upload>
        )}
      </Space>
    </Card>
  );
}

function TextDialog({ action, busy, onCancel, onSubmit }: {
  action: string; busy: boolean; onCancel: () => void; onSubmit: (text: string) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ text: string }>();
  const label = action === 'refuse_recall' ? t('exchange.refuseReason')
    : NEEDS_TEXT[action] === 'reason' ? t('doc.returnReason') : t('doc.comment');
  const max = NEEDS_TEXT[action] === 'reason' ? 1000 : 4000;
  return (
    <Modal open title={t(`action.${action}` as MessageKey)} onCancel={onCancel} okText={t(`action.${action}` as MessageKey)}
      cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void onSubmit(v.text)}>
        <Form.Item name="text" label={label}
          rules={[{ required: true, whitespace: true, message: t('common.required') }, { max, message: t('common.tooLong', { max }) }]}>
          <Input.TextArea rows={4} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface AssignValues {
  lead_unit_id?: number;
  lead_user_id?: number;
  supporting_unit_ids?: number[];
  deadline_working_days?: number;
  directive?: string;
}

function AssignDialog({ busy, onCancel, onSubmit }: {
  busy: boolean; onCancel: () => void; onSubmit: (body: Record<string, unknown>) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const { units } = useSession();
  const [form] = Form.useForm<AssignValues>();
  const [people, setPeople] = useState<Person[]>([]);
  const [due, setDue] = useState('');
  const tree = useMemo(() => unitTree(units), [units]);
  const days = Form.useWatch('deadline_working_days', form);
  useEffect(() => {
    if (!days) {
      setDue('');
      return;
    }
    get<{ deadline: string }>('/calendar/deadline', { working_days: days })
      .then((r) => setDue(r.deadline))
      .catch(() => setDue(''));
  }, [days]);
  const search = (q: string) => {
    get<{ items: Person[] }>('/people', { q, limit: 20 }).then((r) => setPeople(r.items)).catch(() => undefined);
  };
  useEffect(() => search(''), []);
  const submit = (v: AssignValues) => {
    const body: Record<string, unknown> = { ...v };
    for (const k of Object.keys(body)) if (body[k] === undefined || body[k] === '') delete body[k];
    void onSubmit(body);
  };
  return (
    <Modal open title={t('action.assign')} onCancel={onCancel} okText={t('action.assign')} cancelText={t('common.cancel')}
      confirmLoading={busy} onOk={() => form.submit()} width={640} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ deadline_working_days: 10 }}>
        <Form.Item name="lead_user_id" label={t('assign.leadUser')}
          rules={[({ getFieldValue }) => ({
            validator: (_, v) => (v || getFieldValue('lead_unit_id') ? Promise.resolve() : Promise.reject(new Error(t('assign.needLead')))),
          })]}>
          <Select showSearch allowClear filterOption={false} onSearch={search}
            options={people.map((p) => ({ value: p.id, label: `${p.full_name}${p.position ? ` — ${p.position}` : ''} (${unitName(units, p.unit_id)})` }))} />
        </Form.Item>
        <Form.Item name="lead_unit_id" label={t('assign.leadUnit')} dependencies={['lead_user_id']}>
          <TreeSelect allowClear treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
        </Form.Item>
        <Form.Item name="supporting_unit_ids" label={t('assign.supporting')}>
          <TreeSelect multiple allowClear treeData={tree} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
        </Form.Item>
        <Form.Item name="deadline_working_days" label={t('assign.workingDays')} extra={due ? t('assign.dueOn', { date: formatDate(due) }) : undefined}>
          <InputNumber min={1} max={365} />
        </Form.Item>
        <Form.Item name="directive" label={t('assign.directive')} rules={[{ max: 4000, message: t('common.tooLong', { max: 4000 }) }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
