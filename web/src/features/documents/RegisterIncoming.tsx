import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row } from 'antd';
import type { Dayjs } from 'dayjs';
import { get, post, upload } from '../../app/api';
import type { Classification, Urgency } from '../../app/api-types';
import { pause, useQuery } from '../../app/useQuery';
import type { DocAfterAction, IncomingBody, RegisteredDoc, TypeCode, UploadedBlob } from './types';
import { useI18n } from '../../app/i18n';
import {
  DOCUMENT_DEFAULTS, rules, TypeUrgencyClassificationRow, useOneFile, useSaveFlow,
} from './DocumentFields';
import { DatePicker } from '../../shared/DatePicker';
import { DocLink } from './DocLink';
import { isoDateOf } from '../../shared/today';
import { FormAlert } from '../../shared/FormAlert';

interface Values {
  issuer_name: string;
  original_number_symbol: string;
  original_date?: Dayjs;
  type_code: TypeCode;
  subject: string;
  signer_name?: string;
  urgency: Urgency;
  classification: Classification;
  page_count?: number;
}

// The clerk's "tiếp nhận văn bản đến": the nine fields of the incoming
// register (Decree 30), the scan, a duplicate warning before saving, then
// create → register in one go.
export default function RegisterIncoming() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { file, picker } = useOneFile();
  const labels = {
    issuer_name: t('doc.issuer'), original_number_symbol: t('doc.numberSymbol'), original_date: t('doc.originalDate'),
    signer_name: t('doc.signer'), page_count: t('doc.pageCount'), subject: t('doc.subject'), scan: t('doc.scan'),
    type_code: t('doc.type'), urgency: t('doc.urgency'), classification: t('doc.classification'),
  };
  const { busy, error, run } = useSaveFlow(form, { labels });
  const issuer = Form.useWatch('issuer_name', form)?.trim();
  const number = Form.useWatch('original_number_symbol', form)?.trim();
  // Asked once typing pauses (300 ms): a request superseded meanwhile is
  // aborted before it leaves, or its answer dropped.
  const check = useQuery(issuer && number ? JSON.stringify([issuer, number]) : null, async (signal) => {
    await pause(300, signal);
    return get<Pick<RegisteredDoc, 'duplicates'>>('/documents/duplicates', { issuer_name: issuer, number_symbol: number }, signal);
  }, { keep: true });
  const duplicates = check.error ? [] : check.data?.duplicates ?? [];

  const submit = (v: Values) => run(async (created) => {
    if (!file) throw new Error('no scan');
    const blob = await upload<UploadedBlob>('/blobs', file);
    const body: IncomingBody = {
      issuer_name: v.issuer_name.trim(),
      original_number_symbol: v.original_number_symbol.trim(),
      original_date: v.original_date ? isoDateOf(v.original_date) : undefined,
      type_code: v.type_code,
      subject: v.subject.trim(),
      signer_name: v.signer_name?.trim() || undefined,
      urgency: v.urgency,
      classification: v.classification,
      page_count: v.page_count ?? undefined,
      scan_sha256: blob.sha256,
      scan_file_name: file.name,
    };
    const doc = await post<RegisteredDoc>('/documents/incoming', body);
    created(doc.id);
    const registered = await post<DocAfterAction>(`/documents/${doc.id}/actions/register`, {}, doc.version);
    message.success(t('doc.registered', { number: registered.arrival_number ?? '' }));
    return doc.id;
  });

  const { required, max } = rules(t);
  return (
    <Card title={t('menu.register')} size="small">
      <Form form={form} layout="vertical" onFinish={submit} name="incoming"
        initialValues={DOCUMENT_DEFAULTS}>
        {duplicates.length > 0 && (
          <Alert type="warning" showIcon role="alert" style={{ marginBottom: 12 }} message={t('doc.duplicateTitle')}
            description={<span>{t('doc.duplicate', { links: '' })}{duplicates.map((id) => (
              <span key={id} style={{ marginInlineStart: 8 }}><DocLink id={id} /></span>))}</span>} />
        )}
        <FormAlert error={error} />
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="issuer_name" label={labels.issuer_name} rules={[required, max(300)]}>
              <Input autoFocus />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="original_number_symbol" label={labels.original_number_symbol} rules={[required, max(100)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="original_date" label={labels.original_date}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="signer_name" label={labels.signer_name} rules={[max(200)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="page_count" label={labels.page_count}>
              <InputNumber min={1} max={100000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="subject" label={labels.subject} rules={[required, max(500)]}>
              <Input.TextArea rows={2} showCount maxLength={500} />
            </Form.Item>
          </Col>
          <TypeUrgencyClassificationRow />
          <Col span={24}>
            <Form.Item name="scan" label={labels.scan} required
              rules={[{ validator: () => (file ? Promise.resolve() : Promise.reject(new Error(t('common.required')))) }]}>
              {picker(t('doc.scan'), 'application/pdf,.pdf')}
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={busy}>{t('action.register')}</Button>
      </Form>
    </Card>
  );
}
