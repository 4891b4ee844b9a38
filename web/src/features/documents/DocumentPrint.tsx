import type { ReactNode } from 'react';
import { Alert, Spin } from 'antd';
import { useParams } from 'react-router-dom';
import { tKey, useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { describe } from '../../shared/errors';
import { formatDate, formatDateTime } from '../../shared/format';
import { PrintView } from '../../shared/PrintView';
import { unitName } from '../../shared/units';
import { actionLabel } from '../audit/audit';
import { indicationTag, kindLabel } from '../signatures/signatures';
import { DocumentDetails } from './DocumentDetails';
import { docReference } from './labels';
import { useDocumentPage } from './useDocumentPage';

// The document page on paper (/documents/:id/print): what the page says
// about a document, every part of it at once — details, files, signatures,
// assignments, processing notes, comments and the timeline — without the
// preview (the PDF prints on its own) or any button.
export default function DocumentPrint() {
  const { t } = useI18n();
  const { units, personName, named } = useSession();
  const docId = Number(useParams().id);
  const { doc, timeline, error } = useDocumentPage(docId);

  if (error) return <Alert type="error" showIcon title={describe(error, t)} />;
  if (!doc) return <Spin />;

  const people = [
    ...timeline.map((e) => e.actor_id), ...doc.assignments.flatMap((a) => [a.assigned_by, a.lead_user_id]),
    ...doc.processing_notes.map((n) => n.user_id), ...doc.comments.map((c) => c.user_id),
  ];
  const number = doc.direction === 'outgoing' ? doc.number_symbol : doc.original_number_symbol;
  const marks = [
    tKey(t, `state.${doc.state}`),
    doc.urgency !== 'normal' ? t(`urgency.${doc.urgency}`) : '',
    doc.classification !== 'normal' ? t(`classification.${doc.classification}`) : '',
  ].filter(Boolean).join(' · ');
  const files = [...doc.versions, ...doc.attachments];
  const section = (title: string, rows: ReactNode[]) => (
    <>
      <h2 style={{ textAlign: 'left', marginTop: 16 }}>{title}</h2>
      {rows.length === 0 ? <p>{t('common.none')}</p> : rows}
    </>
  );

  return (
    <PrintView title={docReference(doc)} ready={named(people)} back={`/documents/${doc.id}`}>
      <div className="print-center">{t(`doc.direction.${doc.direction}`)}{number ? ` · ${number}` : ''}</div>
      <h1>{doc.subject}</h1>
      <div className="print-center" style={{ marginBottom: 12 }}>{marks}</div>
      <DocumentDetails doc={doc} />
      {section(t('doc.attachments'), files.map((f) => (
        <p key={f.sha256 + f.file_name} style={{ margin: '2px 0' }}>
          {f.version_no ? `v${f.version_no} · ` : ''}{f.file_name}{f.note ? ` · ${f.note}` : ''} · {formatDateTime(f.created_at)}
        </p>
      )))}
      {section(t('sig.title'), (doc.signatures ?? []).map((s) => {
        const kind = kindLabel(s.kind);
        const verdict = indicationTag(s.indication);
        return (
          <p key={s.id} style={{ margin: '2px 0' }}>
            <b>{kind ? t(kind) : s.kind}</b>
            {[s.signer, formatDateTime(s.created_at), verdict ? t(verdict.label) : ''].filter(Boolean).map((part) => ` · ${part}`)}
          </p>
        );
      }))}
      {section(t('doc.assignments'), doc.assignments.map((a) => (
        <div key={a.id} style={{ marginBottom: 6 }}>
          <b>{a.lead_user_id ? personName(a.lead_user_id) : unitName(units, a.lead_unit_id)}</b>
          {a.supporting_unit_ids.length > 0 && ` · ${t('assign.supporting')}: ${a.supporting_unit_ids.map((u) => unitName(units, u)).join(', ')}`}
          {a.deadline && ` · ${t('doc.deadline')}: ${formatDate(a.deadline)}`}
          {a.directive && <div className="print-lines">{t('assign.directive')}: {a.directive}</div>}
          <div>{personName(a.assigned_by)} · {formatDateTime(a.created_at)}</div>
        </div>
      )))}
      {section(t('doc.processingNotes'), doc.processing_notes.map((n) => (
        <p key={n.id} className="print-lines" style={{ margin: '2px 0' }}>
          <b>{personName(n.user_id)} · {formatDateTime(n.created_at)}:</b> {n.body}
        </p>
      )))}
      {section(t('doc.comments'), doc.comments.map((c) => (
        <p key={c.id} className="print-lines" style={{ margin: '2px 0' }}>
          <b>{personName(c.user_id)} · {formatDateTime(c.created_at)}:</b> {c.body}
        </p>
      )))}
      <h2 style={{ textAlign: 'left', marginTop: 16 }}>{t('doc.timeline')}</h2>
      <table className="print-table">
        <thead>
          <tr>
            <th scope="col" style={{ width: '20%' }}>{t('audit.at')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col" style={{ width: '30%' }}>{t('audit.actor')}</th>
          </tr>
        </thead>
        <tbody>
          {timeline.map((e) => (
            <tr key={e.seq}>
              <td>{formatDateTime(e.at)}</td>
              <td>{actionLabel(t, e.action, e.object_type)}</td>
              <td>{e.actor_id ? personName(e.actor_id) : t('audit.system')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </PrintView>
  );
}
