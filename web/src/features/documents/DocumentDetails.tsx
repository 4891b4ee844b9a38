import { Card, Descriptions, Space } from 'antd';
import { get } from '../../app/api';
import type { Page } from '../../app/api-types';
import { useI18n } from '../../app/i18n';
import { useSession } from '../../app/session';
import { useQuery } from '../../app/useQuery';
import { formatDate } from '../../shared/format';
import { useScreen } from '../../shared/screen';
import { unitName } from '../../shared/units';
import { agencyName } from '../exchange/exchange';
import { usePeers } from '../exchange/usePeers';
import { DocLink } from './DocLink';
import { docReference, docTypeName } from './labels';
import type { Doc, DocDetail } from './types';

// "Thông tin văn bản" on the document page: what is written on it and in
// the registers — its type by name, numbers and symbols, dates in Vietnam,
// units and agencies by name — and the documents it is linked with, each by
// its number (never by the node's id).
export function DocumentDetails({ doc }: { doc: DocDetail }) {
  const { t } = useI18n();
  const { units } = useSession();
  const phone = useScreen() === 'phone';
  const peers = usePeers((doc.recipient_agency_codes?.length ?? 0) > 0);
  // Documents drafted in reply to this one (that I may see).
  const replies = useQuery(doc.direction === 'incoming' ? `replies:${doc.id}:${doc.version}` : null, (signal) =>
    get<Page<Doc>>('/documents', { box: 'outgoing', reply_to: doc.id, limit: 20 }, signal), { keep: true }).data?.items ?? [];
  const Item = Descriptions.Item;
  return (
    <Card size="small" title={t('doc.metadata')}>
      {/* A phone has no room for a label column: each label goes above its value. */}
      <Descriptions size="small" column={1} bordered layout={phone ? 'vertical' : 'horizontal'}
        styles={{ label: phone ? undefined : { width: 170 } }}>
        <Item label={t('doc.type')}>{docTypeName(t, doc.type_code)}</Item>
        {doc.direction === 'incoming' ? (
          <>
            <Item label={t('doc.arrivalNumber')}>{doc.arrival_number ?? ''}</Item>
            <Item label={t('doc.arrivalDate')}>{formatDate(doc.arrival_date)}</Item>
            <Item label={t('doc.issuer')}>{doc.issuer_name}</Item>
            <Item label={t('doc.numberSymbol')}>{doc.original_number_symbol}</Item>
            <Item label={t('doc.originalDate')}>{formatDate(doc.original_date)}</Item>
          </>
        ) : (
          <>
            <Item label={t('doc.numberSymbol')}>{doc.number_symbol}</Item>
            <Item label={t('doc.issuedDate')}>{formatDate(doc.issued_date)}</Item>
            <Item label={t('doc.recipients')}>{doc.recipient_unit_ids.map((u) => unitName(units, u)).join('; ')}</Item>
            {(doc.recipient_agency_codes?.length ?? 0) > 0 && (
              <Item label={t('doc.recipientAgencies')}>
                {doc.recipient_agency_codes!.map((c) => agencyName(peers, c)).join('; ')}
              </Item>
            )}
          </>
        )}
        <Item label={t('doc.unit')}>{unitName(units, doc.unit_id)}</Item>
        <Item label={t('doc.signer')}>{[doc.signer_name, doc.signer_position].filter(Boolean).join(' — ')}</Item>
        <Item label={t('doc.deadline')}>{formatDate(doc.deadline)}</Item>
        {doc.page_count != null && <Item label={t('doc.pageCount')}>{doc.page_count}</Item>}
        {doc.reply_to_id && <Item label={t('doc.replyTo')}><DocLink id={doc.reply_to_id} /></Item>}
        {replies.length > 0 && (
          <Item label={t('doc.repliedBy')}>
            <Space wrap>{replies.map((r) => <DocLink key={r.id} id={r.id} text={docReference(r)} />)}</Space>
          </Item>
        )}
        {doc.source_document_id && (
          // A copy received from another unit: the sent document bears the
          // number and symbol the copy carries as the sender's.
          <Item label={t('doc.direction.outgoing')}>
            <DocLink id={doc.source_document_id} text={doc.original_number_symbol || undefined} />
          </Item>
        )}
      </Descriptions>
    </Card>
  );
}
