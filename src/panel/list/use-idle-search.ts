// Prepares the filter's search text for every row while the panel is idle (after a snapshot or a batch of upserts).
import { useEffect } from 'preact/hooks';
import type { Row } from '../derive.ts';
import { prepareSearch } from './filter.ts';

/** Leaves this much of each idle period to the browser. */
const MARGIN_MS = 2;

export function useIdleSearch(rows: readonly Row[]): void {
  useEffect(() => {
    // jsdom (the panel tests) has no idle callbacks; the filter then builds the text on first use, as before.
    if (typeof requestIdleCallback !== 'function') return;
    let handle = 0;
    const step = (deadline: IdleDeadline): void => {
      if (!prepareSearch(rows, () => deadline.timeRemaining() > MARGIN_MS)) handle = requestIdleCallback(step);
    };
    handle = requestIdleCallback(step);
    return () => cancelIdleCallback(handle);
  }, [rows]);
}
