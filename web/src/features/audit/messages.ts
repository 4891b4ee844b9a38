// The security officer's audit log.
// One row per key, Vietnamese first, then English and French; `{name}`
// marks a parameter.
import type { Rows } from '../../app/i18n/format';

export const messages = {
  'menu.audit': ['Nhật ký kiểm toán', 'Audit log', "Journal d'audit"],
  'audit.title': ['Nhật ký kiểm toán', 'Audit log', "Journal d'audit"],
  'audit.seq': ['STT', 'Seq', 'N°'],
  'audit.at': ['Thời điểm', 'Time', 'Heure'],
  'audit.actor': ['Người thực hiện', 'Actor', 'Acteur'],
  'audit.action': ['Hành động', 'Action', 'Action'],
  'audit.object': ['Đối tượng', 'Object', 'Objet'],
  'audit.objectType': ['Loại đối tượng', 'Object type', "Type d'objet"],
  'audit.objectId': ['Mã đối tượng', 'Object id', "Id d'objet"],
  'audit.details': ['Chi tiết', 'Details', 'Détails'],
  'audit.verify': ['Xác minh chuỗi', 'Verify chain', 'Vérifier la chaîne'],
  'audit.verifyOk': ['Chuỗi nhật ký toàn vẹn: {size} bản ghi, gốc {root}', 'Chain intact: {size} records, root {root}',
    'Chaîne intacte : {size} enregistrements, racine {root}'],
  'audit.verifyBad': ['Chuỗi nhật ký bị sửa đổi tại bản ghi {seq}: {problem}', 'Chain broken at record {seq}: {problem}',
    'Chaîne rompue à l’enregistrement {seq} : {problem}'],
} as const satisfies Rows;
