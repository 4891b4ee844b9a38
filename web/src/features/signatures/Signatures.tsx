import { useState, type ReactNode } from 'react';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, List, Modal, Space, Table, Tag, Typography } from 'antd';
import { tKey, useI18n, type T } from '../../app/i18n';
import { formatDateTime } from '../../shared/format';
import { ChangePinDialog } from './ChangePin';
import {
  checksOf, indicationTag, kindLabel, type DocumentSignature, type PinOutcome, type SignatureCheck, type ValidationReport,
} from './signatures';
import { NOT_ON_PHONE } from '../../shared/screen';
import { ScrollBox } from '../../shared/ScrollBox';

// A verdict: "Hợp lệ" (green), "Không hợp lệ" (red), "Chưa xác định" (orange);
// `empty` when there is none (a signing row, an entry without files).
export function IndicationTag({ indication, empty = null }: { indication: string | null | undefined; empty?: ReactNode }) {
  const { t } = useI18n();
  const tag = indicationTag(indication);
  if (!tag) return <>{empty}</>;
  return <Tag color={tag.color}>{t(tag.label)}</Tag>;
}

const yesNo = (t: T, v: boolean | undefined) =>
  v === undefined ? '' : v ? t('common.yes') : t('common.no');

// One signature of a report: who, under which chain, whether it is trusted,
// revoked, time-stamped, what it covers and what changed after it.
function CheckView({ check, title }: { check: SignatureCheck; title: string }) {
  const { t } = useI18n();
  const pdf = 'later_changes' in check ? check : null; // one of a PDF's signatures
  return (
    <Descriptions size="small" column={1} bordered title={title} labelStyle={{ width: 200 }}>
      <Descriptions.Item label={t('sig.signer')}>{check.signer}</Descriptions.Item>
      {check.signer_subject && <Descriptions.Item label={t('sig.subject')}>{check.signer_subject}</Descriptions.Item>}
      {check.signer_serial && <Descriptions.Item label={t('sig.serial')}><Typography.Text code>{check.signer_serial}</Typography.Text></Descriptions.Item>}
      <Descriptions.Item label={t('sig.chain')}>
        {check.chain?.length ? (
          <ol style={{ margin: 0, paddingInlineStart: 18 }}>{check.chain.map((c, i) => <li key={i}>{c}</li>)}</ol>
        ) : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('sig.trusted')}>
        <Tag color={check.trusted ? 'green' : 'red'}>{yesNo(t, check.trusted)}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('sig.revocation')}>
        <Tag color={check.revocation === 'good' ? 'green' : check.revocation === 'revoked' ? 'red' : 'orange'}>
          {tKey(t, `sig.revocation.${check.revocation}`, check.revocation)}
        </Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('sig.timestamp')}>
        {check.timestamp ? formatDateTime(check.timestamp) : t('sig.noTimestamp')}
      </Descriptions.Item>
      {check.claimed_signing_time && (
        <Descriptions.Item label={t('sig.claimedTime')}>{formatDateTime(check.claimed_signing_time)}</Descriptions.Item>
      )}
      <Descriptions.Item label={t('sig.level')}>{check.level || '—'}</Descriptions.Item>
      {pdf && (
        <Descriptions.Item label={t('sig.coversWhole')}>
          <Tag color={pdf.covers_whole_document ? 'green' : 'default'}>{yesNo(t, pdf.covers_whole_document)}</Tag>
        </Descriptions.Item>
      )}
      {pdf && (
        <Descriptions.Item label={t('sig.laterChanges')}>
          {pdf.later_changes.length === 0 ? t('common.none') : (
            <List size="small" dataSource={pdf.later_changes} renderItem={(c) => (
              <List.Item>
                <Space wrap>
                  <Tag color={c.allowed ? 'green' : 'red'}>{c.allowed ? t('sig.allowed') : t('sig.notAllowed')}</Tag>
                  <span>{c.what}</span>
                  <Typography.Text type="secondary">{c.object}</Typography.Text>
                </Space>
              </List.Item>
            )} />
          )}
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('sig.verdict')}>
        <Space wrap size={4}>
          <IndicationTag indication={check.indication} empty="—" />
          {check.sub_indication && <Typography.Text code>{check.sub_indication}</Typography.Text>}
        </Space>
      </Descriptions.Item>
      {check.reason && <Descriptions.Item label={t('sig.reason')}>{check.reason}</Descriptions.Item>}
    </Descriptions>
  );
}

// A validation report (a PDF's: every signature in it; a detached CMS's:
// the one signature), as the document page and the verify page show it.
export function ValidationReportView({ report }: { report: ValidationReport }) {
  const { t } = useI18n();
  const checks = checksOf(report);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="validation-report">
      <Space wrap>
        <Typography.Text strong>{t('sig.verdict')}:</Typography.Text>
        <IndicationTag indication={report.indication} empty="—" />
        {report.sub_indication && <Typography.Text code>{report.sub_indication}</Typography.Text>}
        {report.reason && <Typography.Text>{report.reason}</Typography.Text>}
        {'has_validation_data' in report && report.has_validation_data !== undefined && (
          <Typography.Text type="secondary">· {t('sig.validationData')}: {yesNo(t, report.has_validation_data)}</Typography.Text>
        )}
      </Space>
      {checks.length === 0 ? <Empty description={t('sig.noSignatures')} /> : checks.map((c, i) => (
        <CheckView key={i} check={c} title={`${t('sig.signatureN', { n: i + 1 })}${c.signer ? ` — ${c.signer}` : ''}`} />
      ))}
    </Space>
  );
}

// "Chữ ký số" on a document page: signatures made (leader, organisation) and
// checks (at issue, on arrival), each check with its report to unfold.
export function SignaturesCard({ docId, signatures }: { docId: number; signatures: DocumentSignature[] }) {
  const { t } = useI18n();
  const columns = [
    {
      title: t('sig.kind'), key: 'kind', width: 190,
      render: (_: unknown, s: DocumentSignature) => {
        const k = kindLabel(s.kind);
        return k ? t(k) : s.kind;
      },
    },
    { title: t('sig.signer'), dataIndex: 'signer', key: 'signer' },
    { title: t('sig.level'), dataIndex: 'level', key: 'level', width: 170, responsive: NOT_ON_PHONE },
    { title: t('sig.time'), key: 'time', width: 140, render: (_: unknown, s: DocumentSignature) => formatDateTime(s.created_at) },
    {
      title: t('sig.file'), key: 'file', responsive: NOT_ON_PHONE,
      render: (_: unknown, s: DocumentSignature) => (
        <a href={`/api/v1/documents/${docId}/files/${s.sha256}`} target="_blank" rel="noreferrer">{s.file_name}</a>
      ),
    },
    {
      title: t('sig.result'), key: 'result', width: 140,
      render: (_: unknown, s: DocumentSignature) => <IndicationTag indication={s.indication} empty="—" />,
    },
  ];
  return (
    <Card size="small" title={t('sig.title')} data-testid="signatures">
      <ScrollBox label={t('sig.title')}>
        <Table<DocumentSignature> size="small" rowKey="id" pagination={false} dataSource={signatures} columns={columns}
          locale={{ emptyText: t('sig.none') }}
          expandable={{
            rowExpandable: (s) => !!s.report,
            expandedRowRender: (s) => (s.report ? <ValidationReportView report={s.report} /> : null),
          }} />
      </ScrollBox>
    </Card>
  );
}

// The signing PIN, asked just before a run of actions that signs. Enter
// submits; a wrong PIN stays in the dialog, cleared, with the server's word
// (and the tries left) under the field; a locked key says so. A first PIN
// set by the certificate's issuer must be replaced first: the dialog says
// so and opens the change-PIN dialog, then signs with the new PIN.
export function PinDialog({ title, busy, onCancel, onSubmit }: {
  title: string; busy: boolean; onCancel: () => void; onSubmit: (pin: string) => Promise<PinOutcome | null>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ pin: string }>();
  const [locked, setLocked] = useState('');
  const [mustChange, setMustChange] = useState<'no' | 'yes' | 'changed'>('no');
  const [changing, setChanging] = useState(false);
  const submit = async ({ pin }: { pin: string }) => {
    if (busy) return;
    const outcome = await onSubmit(pin);
    if (!outcome) return;
    if (outcome.locked) {
      setLocked(outcome.message);
      form.setFields([{ name: 'pin', value: '', errors: [] }]);
    } else if (outcome.pinChangeRequired) {
      setMustChange('yes');
      form.setFields([{ name: 'pin', value: '', errors: [] }]);
    } else {
      form.setFields([{ name: 'pin', value: '', errors: [outcome.pinError || outcome.message] }]);
    }
  };
  return (
    <Modal open title={title} onCancel={onCancel} okText={title} cancelText={t('common.cancel')}
      confirmLoading={busy} okButtonProps={{ disabled: !!locked || mustChange === 'yes' }} onOk={() => form.submit()} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Typography.Paragraph type="secondary">{t('sig.pinPrompt')} {t('sig.pinConsequences')}</Typography.Paragraph>
        {locked && <Alert type="error" showIcon title={locked} style={{ marginBottom: 12 }} />}
        {mustChange === 'yes' && (
          <Alert type="warning" showIcon role="alert" style={{ marginBottom: 12 }} title={t('sig.pinChangeRequired')}
            action={<Button size="small" type="primary" onClick={() => setChanging(true)}>{t('pin.change')}</Button>} />
        )}
        {mustChange === 'changed' && (
          <Alert type="success" showIcon style={{ marginBottom: 12 }} title={t('sig.pinChangedSignNow')} />
        )}
        <Form.Item name="pin" label={t('sig.pin')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.Password autoFocus autoComplete="off" maxLength={64} disabled={!!locked || mustChange === 'yes'} />
        </Form.Item>
      </Form>
      {changing && <ChangePinDialog onClose={() => setChanging(false)} onChanged={() => setMustChange('changed')} />}
    </Modal>
  );
}
