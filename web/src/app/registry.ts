import { messages as appMessages } from './messages';
import org from '../features/org';
import documents from '../features/documents';
import signatures from '../features/signatures';
import exchange from '../features/exchange';
import audit from '../features/audit';
import search from '../features/search';

// The features of the web office: adding one is a folder under
// src/features/ and one line here. App builds the router and Shell the menus
// from this list; the i18n catalogue merges their messages.
export const FEATURES = [
  org,
  documents,
  signatures,
  exchange,
  audit,
  search,
] as const;

export const MESSAGES = [appMessages, ...FEATURES.map((f) => f.messages)] as const;
