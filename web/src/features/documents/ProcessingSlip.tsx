import { Alert, Spin } from 'antd';
import { useParams } from 'react-router-dom';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { describe } from '../../shared/errors';
import { formatDate, formatDateTime } from '../../shared/format';
import { PrintView } from '../../shared/PrintView';
import { unitName } from '../../shared/units';
import { typeAndSubject } from './print';
import type { Assignment } from './types';
import { useDocumentPage } from './useDocumentPage';

// Phiếu giải quyết văn bản đến (/documents/:id/slip): an incoming document
// on one A4 sheet as it goes from the leader to whoever handles it — the
// arrival number and date, the issuer, number and symbol, date and subject;
// each assignment with the leader's directive, the lead unit or person, the
// supporting units and the deadline; the processing notes; and the
// signatures of the leader and of the person handling it, under their names.
export default function ProcessingSlip() {
  const { t } = useI18n();
  const { units, personName, named } = useSession();
  const docId = Number(useParams().id);
  const { doc, error } = useDocumentPage(docId);

  if (error) return <Alert type="error" showIcon title={describe(error, t)} />;
  if (!doc) return <Spin />;
  if (doc.direction !== 'incoming') return <Alert type="info" showIcon title={t('slip.incomingOnly')} />;

  const people = [...doc.assignments.flatMap((a) => [a.assigned_by, a.lead_user_id]), ...doc.processing_notes.map((n) => n.user_id)];
  const lead = (a: Assignment) => (a.lead_user_id ? personName(a.lead_user_id) : unitName(units, a.lead_unit_id));
  const first = doc.assignments[0];
  const latest = doc.assignments[doc.assignments.length - 1];
  const title = `${t('slip.title')} · ${t('doc.arrivalNumber')} ${doc.arrival_number ?? ''}`;
  const field = (label: string, value: string) => (
    <div className="print-field"><b>{label}:</b>{value}</div>
  );

  return (
    <PrintView title={title} ready={named(people)} back={`/documents/${doc.id}`}>
      <div className="print-columns">
        <div><b>{unitName(units, doc.unit_id).toLocaleUpperCase('vi')}</b></div>
        <div style={{ flex: 1.6 }}>
          <b style={{ whiteSpace: 'nowrap' }}>{t('slip.nation')}</b>
          <div><b>{t('slip.motto')}</b></div>
        </div>
      </div>
      <h1 style={{ marginTop: 24 }}>{t('slip.title')}</h1>
      <div className="print-columns" style={{ marginTop: 12 }}>
        <div style={{ textAlign: 'left' }}>{field(t('doc.arrivalNumber'), String(doc.arrival_number ?? ''))}</div>
        <div style={{ textAlign: 'left' }}>{field(t('doc.arrivalDate'), formatDate(doc.arrival_date))}</div>
      </div>
      {field(t('doc.issuer'), doc.issuer_name)}
      <div className="print-columns">
        <div style={{ textAlign: 'left' }}>{field(t('doc.numberSymbol'), doc.original_number_symbol)}</div>
        <div style={{ textAlign: 'left' }}>{field(t('doc.originalDate'), formatDate(doc.original_date))}</div>
      </div>
      {field(t('book.col.typeSubject'), typeAndSubject(t, doc))}
      {doc.urgency !== 'normal' && field(t('doc.urgency'), t(`urgency.${doc.urgency}`))}
      {doc.classification !== 'normal' && field(t('doc.classification'), t(`classification.${doc.classification}`))}

      <h2 style={{ textAlign: 'left', marginTop: 16 }}>1. {t('slip.directive')}</h2>
      {doc.assignments.length === 0 && <p>{t('slip.notAssigned')}</p>}
      {doc.assignments.map((a) => (
        <div key={a.id} style={{ marginBottom: 8 }}>
          {a.directive && <p className="print-lines" style={{ margin: '4px 0' }}>{a.directive}</p>}
          {field(t('slip.lead'), lead(a))}
          {a.supporting_unit_ids.length > 0 && field(t('assign.supporting'), a.supporting_unit_ids.map((u) => unitName(units, u)).join('; '))}
          {field(t('slip.deadline'), formatDate(a.deadline))}
          {field(t('slip.assignedBy'), `${personName(a.assigned_by)}, ${formatDateTime(a.created_at)}`)}
        </div>
      ))}

      <h2 style={{ textAlign: 'left', marginTop: 16 }}>2. {t('slip.notes')}</h2>
      {doc.processing_notes.map((n) => (
        <p key={n.id} className="print-lines" style={{ margin: '4px 0' }}>
          <b>{personName(n.user_id)}, {formatDateTime(n.created_at)}:</b> {n.body}
        </p>
      ))}
      {/* Room for what is written by hand. */}
      <div style={{ minHeight: doc.processing_notes.length > 0 ? 24 : 96 }} />

      <div className="print-columns" style={{ marginTop: 16, breakInside: 'avoid' }}>
        <div>
          <b>{t('slip.leader')}</b>
          <div><i>{t('slip.signHint')}</i></div>
          <div className="print-signature" />
          <b>{first ? personName(first.assigned_by) : ''}</b>
        </div>
        <div>
          <b>{t('slip.handler')}</b>
          <div><i>{t('slip.signHint')}</i></div>
          <div className="print-signature" />
          <b>{latest?.lead_user_id ? personName(latest.lead_user_id) : ''}</b>
        </div>
      </div>
    </PrintView>
  );
}
