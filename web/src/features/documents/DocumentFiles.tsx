import { useState } from 'react';
import { App, Button, Card, Form, Input, List, Space, Typography, Upload } from 'antd';
import { post, upload } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { describe } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import type { DocDetail, FileInfo } from './types';

// What the document page lists below its details: files and versions (with
// uploads), and the comments with their form.

// The comments and processing notes of a document, one per row.
export function Entries({ entries }: { entries: DocDetail['comments'] }) {
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

export function Comments({ docId, entries, onPosted }: { docId: number; entries: DocDetail['comments']; onPosted: () => Promise<void> }) {
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
      message.error(describe(e, t));
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

export function Files({ doc, onChanged }: { doc: DocDetail; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { personName } = useSession();
  const send = (asVersion: boolean) => async (file: File) => {
    try {
      await upload(`/documents/${doc.id}/${asVersion ? 'versions' : 'attachments'}`, file, { file_name: file.name });
      await onChanged();
    } catch (e) {
      message.error(describe(e, t));
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
