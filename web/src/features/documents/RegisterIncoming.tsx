import { Alert, App, Button, Card, Checkbox, Col, Form, Input, InputNumber, Row } from 'antd';
import type { Dayjs } from 'dayjs';
import { get, post, upload } from '../../app/api';
import type { Classification, Urgency } from '../../app/api-types';
import { pause, useQuery } from '../../app/useQuery';
import type { DocAfterAction, Duplicate, IncomingBody, RegisteredDoc, TypeCode, UploadedBlob } from './types';
import { useI18n } from '../../app/i18n';
import {
  DOCUMENT_DEFAULTS, rules, TypeUrgencyClassificationRow, useOneFile, useSaveFlow,
} from './DocumentFields';
import { DatePicker } from '../../shared/DatePicker';
import { DocLink } from './DocLink';
import { isoDateOf } from '../../shared/today';
import { FormAlert } from '../../shared/FormAlert';
import { formatDate } from '../../shared/format';
import { StateTag } from './Tags';

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
  register_anyway?: boolean;
  duplicate_reason?: string;
}

// The clerk's "tiếp nhận văn bản đến": the nine fields of the incoming
// register (Decree 30), the scan, a duplicate warning before saving, then
// create → register in one go. A possible duplicate (same number/symbol
// from the same issuer, among what the clerk may see) is named by its
// arrival number and day; registering over it takes an explicit "register
// anyway" and a reason, which the register's remarks keep.
export default function RegisterIncoming() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { file, picker } = useOneFile();
  const labels = {
    issuer_name: t('doc.issuer'), original_number_symbol: t('doc.numberSymbol'), original_date: t('doc.originalDate'),
    signer_name: t('doc.signer'), page_count: t('doc.pageCount'), subject: t('doc.subject'), scan: t('doc.scan'),
    type_code: t('doc.type'), urgency: t('doc.urgency'), classification: t('doc.classification'),
    duplicate_reason: t('doc.duplicateReason'),
  };
  const { busy, error, run } = useSaveFlow(form, { labels });
  const issuer = Form.useWatch('issuer_name', form)?.trim();
  const number = Form.useWatch('original_number_symbol', form)?.trim();
  // Asked once typing pauses (300 ms): a request superseded meanwhile is
  // aborted before it leaves, or its answer dropped.
  const check = useQuery(issuer && number ? JSON.stringify([issuer, number]) : null, async (signal) => {
    await pause(300, signal);
    return get<{ duplicates: Duplicate[] }>('/documents/duplicates', { issuer_name: issuer, number_symbol: number }, signal);
  }, { keep: true });
  const duplicates = check.error ? [] : check.data?.duplicates ?? [];
  const anyway = Form.useWatch('register_anyway', form);

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
      duplicate_reason: duplicates.length > 0 && v.register_anyway ? v.duplicate_reason?.trim() : undefined,
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
          <Alert type="warning" showIcon role="alert" style={{ marginBottom: 12 }} title={t('doc.duplicateTitle')}
            data-testid="duplicate-warning"
            description={(
              <>
                <div>{t('doc.duplicate')}</div>
                <ul style={{ margin: '4px 0', paddingInlineStart: 20 }}>
                  {duplicates.map((d) => (
                    <li key={d.id}>
                      <DocLink id={d.id} text={d.arrival_number != null
                        ? t('doc.duplicateEntry', { number: d.arrival_number, date: formatDate(d.arrival_date) })
                        : t('doc.duplicateUnregistered', { date: formatDate(d.received_at) })} />
                      {' '}<StateTag state={d.state} />
                    </li>
                  ))}
                </ul>
                <Form.Item name="register_anyway" valuePropName="checked" style={{ marginBottom: anyway ? 8 : 0 }}
                  rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('doc.duplicateConfirm')))) }]}>
                  <Checkbox>{t('doc.registerAnyway')}</Checkbox>
                </Form.Item>
                {anyway && (
                  <Form.Item name="duplicate_reason" label={labels.duplicate_reason} style={{ marginBottom: 0 }}
                    rules={[required, max(500), { whitespace: true, message: t('common.required') }]}>
                    <Input.TextArea rows={2} maxLength={500} showCount />
                  </Form.Item>
                )}
              </>
            )} />
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
