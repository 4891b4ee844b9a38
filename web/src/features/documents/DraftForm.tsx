import { useMemo, useRef } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space, TreeSelect } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { DocLink } from './DocLink';
import { post, upload } from '../../app/api';
import type { Classification, Urgency } from '../../app/api-types';
import type { Doc, DraftBody, TypeCode } from './types';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { unitTree } from '../../shared/units';
import { usePeers } from '../exchange/usePeers';
import { peerCarries, peerChoices } from '../exchange/exchange';
import {
  DOCUMENT_DEFAULTS, rules, TypeUrgencyClassificationRow, useOneFile, useSaveFlow,
} from './DocumentFields';
import { FormAlert } from '../../shared/FormAlert';

interface Values {
  type_code: TypeCode;
  subject: string;
  urgency: Urgency;
  classification: Classification;
  recipient_unit_ids?: number[];
  recipient_agency_codes?: string[];
  signer_name?: string;
  signer_position?: string;
  notes?: string;
}

// A specialist drafts an outgoing document: the fields, the file (kept as
// version 1), the recipients from the unit tree; saved as a draft or sent
// straight to the leader for approval. ?reply_to=<id> makes it a reply.
export default function DraftForm() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { units } = useSession();
  const [params] = useSearchParams();
  const replyTo = Number(params.get('reply_to')) || undefined;
  const [form] = Form.useForm<Values>();
  const { file, picker } = useOneFile();
  const labels = {
    subject: t('doc.subject'), recipient_unit_ids: t('doc.recipients'),
    recipient_agency_codes: t('doc.recipientAgencies'), signer_name: t('doc.signer'),
    signer_position: t('doc.signerPosition'), notes: t('doc.notes'), type_code: t('doc.type'),
    urgency: t('doc.urgency'), classification: t('doc.classification'),
  };
  const { busy, error, run } = useSaveFlow(form, { labels });
  const submitAfter = useRef(false);
  const tree = useMemo(() => unitTree(units), [units]);
  const peers = usePeers();
  const classification = Form.useWatch('classification', form);
  const chosen = Form.useWatch('recipient_agency_codes', form);
  // Other agencies: a link that may not carry the chosen classification is
  // offered greyed out with its limit (the server checks again on save).
  const agencyOptions = useMemo(() => peerChoices(peers, chosen).map((p) => ({
    value: p.agency_code,
    label: peerCarries(p, classification) ? `${p.name} (${p.agency_code})`
      : `${p.name} (${p.agency_code}) — ${t('exchange.peerTooLow', { level: t(`classification.${p.max_classification}`) })}`,
    disabled: !peerCarries(p, classification) && !(chosen || []).includes(p.agency_code),
  })), [peers, chosen, classification, t]);

  const save = (v: Values) => run(async (created) => {
    const body: DraftBody = {
      type_code: v.type_code,
      subject: v.subject.trim(),
      urgency: v.urgency,
      classification: v.classification,
      recipient_unit_ids: v.recipient_unit_ids || [],
      recipient_agency_codes: v.recipient_agency_codes || [],
      signer_name: v.signer_name?.trim() || undefined,
      signer_position: v.signer_position?.trim() || undefined,
      notes: v.notes?.trim() || undefined,
      reply_to_id: replyTo,
    };
    const doc = await post<Doc>('/documents', body);
    created(doc.id);
    if (file) await upload(`/documents/${doc.id}/versions`, file, { file_name: file.name });
    if (submitAfter.current) await post(`/documents/${doc.id}/actions/submit`, {});
    message.success(t('doc.created'));
    return doc.id;
  });

  const { required, max } = rules(t);
  return (
    <Card title={t('menu.newDraft')} size="small">
      <Form form={form} layout="vertical" name="draft" onFinish={save}
        initialValues={DOCUMENT_DEFAULTS}>
        {replyTo && (
          <Alert type="info" showIcon style={{ marginBottom: 12 }}
            title={<span>{t('doc.replyTo')}: <DocLink id={replyTo} /></span>} />
        )}
        <FormAlert error={error} />
        <Row gutter={16}>
          <TypeUrgencyClassificationRow />
          <Col span={24}>
            <Form.Item name="subject" label={labels.subject} rules={[required, max(500)]}>
              <Input.TextArea rows={2} showCount maxLength={500} autoFocus />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="recipient_unit_ids" label={labels.recipient_unit_ids}>
              <TreeSelect multiple allowClear showSearch treeNodeFilterProp="title" treeData={tree} treeDefaultExpandAll />
            </Form.Item>
          </Col>
          {agencyOptions.length > 0 && (
            <Col span={24}>
              <Form.Item name="recipient_agency_codes" label={labels.recipient_agency_codes} extra={t('doc.recipientAgenciesHint')}>
                <Select mode="multiple" allowClear showSearch optionFilterProp="label" options={agencyOptions} />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} md={12}>
            <Form.Item name="signer_name" label={labels.signer_name} rules={[max(200)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="signer_position" label={labels.signer_position} rules={[max(200)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={labels.notes} rules={[max(4000)]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item label={t('doc.file')}>
              {picker(t('doc.file'))}
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button htmlType="submit" loading={busy && !submitAfter.current} onClick={() => { submitAfter.current = false; }}>{t('doc.saveDraft')}</Button>
          <Button type="primary" htmlType="submit" loading={busy && submitAfter.current} onClick={() => { submitAfter.current = true; }}>{t('doc.saveAndSubmit')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
