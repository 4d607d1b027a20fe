// How each verdict looks in the list and the detail view: an icon that is not colour alone, and its words.
import type { Verdict } from '../core/types.ts';

export const VERDICT_LOOK: Record<Verdict, { icon: string; label: string }> = {
  blocked: { icon: '✕', label: 'Blocked' },
  allowed: { icon: '✓', label: 'Allowed' },
  'not-cors': { icon: '–', label: 'Not CORS' },
  'network-error': { icon: '!', label: 'Network error' },
  pending: { icon: '…', label: 'Pending' },
};
