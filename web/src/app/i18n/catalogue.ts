import { MESSAGES } from '../registry';
import { LANGUAGES, type Lang } from './format';

export { format, LANGUAGES, type Lang } from './format';

// Every feature's rows (and the app's) in one catalogue. A key is typed:
// the union of the keys the features declare, so `t('doc.subjet')` does not
// compile. Keys built from what the server sends (a state, an action, a
// problem code) go through `isMessageKey` instead of a cast.
type KeysOf<R> = R extends unknown ? keyof R & string : never;
export type MessageKey = KeysOf<(typeof MESSAGES)[number]>;

let merged: Record<string, readonly string[]> | null = null;

// Merged on first use: the registry imports the features, which import this
// module, so nothing here may read MESSAGES while the modules load.
function rows(): Record<string, readonly string[]> {
  merged ??= Object.assign({}, ...MESSAGES);
  return merged!;
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(rows(), key);
}

export function catalogue(lang: Lang): Record<MessageKey, string> {
  const i = LANGUAGES.indexOf(lang);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rows())) out[k] = v[i];
  return out as Record<MessageKey, string>;
}

// Each feature's own keys, to check that no two features define the same one.
export function keysByFeature(): string[][] {
  return MESSAGES.map((m) => Object.keys(m));
}
