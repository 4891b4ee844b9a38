import { useItems } from '../../app/useQuery';
import type { Peer } from './exchange';

// The directory of other agencies (GET /exchange/peers).
export function usePeerDirectory(enabled = true) {
  return useItems<Peer>(enabled ? '/exchange/peers' : null);
}

// The directory, for names and choices; empty until loaded (or when the
// request fails: the pages then show agency codes).
export function usePeers(enabled = true): Peer[] {
  const { items, error } = usePeerDirectory(enabled);
  return error ? [] : items;
}
