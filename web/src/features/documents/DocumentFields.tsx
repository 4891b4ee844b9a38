import { useState } from 'react';
import { Button, Col, Form, Select, Upload } from 'antd';
import type { FormInstance, UploadFile } from 'antd';
import { useNavigate } from 'react-router-dom';
import type { Classification, Urgency } from '../../app/api-types';
import { useI18n, type T } from '../../app/i18n';
import { useDocTypeOptions } from './docTypes';
import { useSubmit, type FormErrorOptions } from '../../shared/formErrors';

// What the two document forms (incoming register, outgoing draft) share.

export const URGENCIES: Urgency[] = ['normal', 'khan', 'thuong_khan', 'hoa_toc'];
export const CLASSIFICATIONS: Classification[] = ['normal', 'mat', 'toi_mat', 'tuyet_mat'];
export const DOCUMENT_DEFAULTS = { type_code: '', urgency: 'normal', classification: 'normal' };

export function rules(t: T) {
  return {
    required: { required: true, whitespace: true, message: t('common.required') },
    max: (max: number) => ({ max, message: t('common.tooLong', { max }) }),
  };
}

export function TypeField() {
  const { t } = useI18n();
  const types = useDocTypeOptions();
  return (
    <Form.Item name="type_code" label={t('doc.type')}>
      <Select showSearch optionFilterProp="label" options={types} />
    </Form.Item>
  );
}

export function UrgencyField() {
  const { t } = useI18n();
  return (
    <Form.Item name="urgency" label={t('doc.urgency')}>
      <Select options={URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) }))} />
    </Form.Item>
  );
}

export function ClassificationField() {
  const { t } = useI18n();
  return (
    <Form.Item name="classification" label={t('doc.classification')}>
      <Select options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`classification.${c}`) }))} />
    </Form.Item>
  );
}

// One file picked but not sent yet: the form sends it after the document exists.
export function useOneFile() {
  const [files, setFiles] = useState<UploadFile[]>([]);
  const picker = (label: string, accept?: string) => (
    <Upload accept={accept} maxCount={1} fileList={files}
      beforeUpload={(f) => { setFiles([{ uid: f.uid, name: f.name, originFileObj: f, status: 'done' } as UploadFile]); return false; }}
      onRemove={() => setFiles([])}>
      <Button>{label}</Button>
    </Upload>
  );
  return { file: files[0]?.originFileObj as File | undefined, picker };
}

// The first row of both forms: type, urgency, classification.
export function TypeUrgencyClassificationRow() {
  return (
    <>
      <Col xs={24} md={8}><TypeField /></Col>
      <Col xs={12} md={8}><UrgencyField /></Col>
      <Col xs={12} md={8}><ClassificationField /></Col>
    </>
  );
}

// Runs a multi-step save and opens the document; on failure the form keeps
// its values and shows the server's messages, and if the document was
// already created, opens it anyway (the person continues from there).
export function useSaveFlow(form: FormInstance, options?: FormErrorOptions) {
  const navigate = useNavigate();
  const { busy, error, submit } = useSubmit(form, options);
  const run = (steps: (created: (id: number) => void) => Promise<number>) => {
    let createdId: number | null = null;
    return submit(
      async () => navigate(`/documents/${await steps((id) => { createdId = id; })}`),
      () => { if (createdId !== null) navigate(`/documents/${createdId}`); },
    );
  };
  return { busy, error, run };
}
