// The request list: a virtual grid like the Network panel's. Arrow keys, Home/End and Page keys move the
// selection; Enter opens the details. Only rows in view are rendered, so 10,000 requests scroll as fast as 10.
import type { RefObject } from 'preact';
import { credentialsCaveat } from '../../core/diagnose.ts';
import { dependsOnCredentials } from '../../core/judge.ts';
import { preflightFromCache } from '../../core/preflight-cache.ts';
import type { Row } from '../derive.ts';
import { clockTime, urlParts, visible } from '../format.ts';
import { VERDICT_LOOK } from '../verdict.ts';
import { useVirtualRows } from './use-virtual-rows.ts';

/** One text line at 12px with the Network panel's row padding. */
export const ROW_HEIGHT = 21;

export interface RequestListProps {
  rows: readonly Row[];
  selectedId: string | null;
  /** The sentence for a row; asked only for rows in view (it needs the full diagnosis). */
  reason(row: Row): string;
  onSelect(id: string): void;
  onOpen(id: string): void;
  /** True while the detail pane takes most of the width: only the identifying columns stay. */
  compact: boolean;
  emptyText: string;
  /** The focusable grid, so the panel can return focus to it when the details close. */
  gridRef: RefObject<HTMLDivElement | null>;
  scrollRef: RefObject<HTMLDivElement | null>;
}

/** DOM id of a row for aria-activedescendant; request ids are browser-made, but keep them inert anyway. */
export function rowDomId(id: string): string {
  return `request-${id.replace(/[^\w-]/g, '_')}`;
}

const COLUMNS = ['', 'Method', 'Name', 'Type', 'Verdict', 'Reason', 'Started'] as const;

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

export function RequestList(props: RequestListProps) {
  const { rows, selectedId, reason, onSelect, onOpen, compact, emptyText, gridRef, scrollRef } = props;
  const virtualizer = useVirtualRows(rows.length, ROW_HEIGHT, () => scrollRef.current);

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Enter') {
      if (selectedId !== null) onOpen(selectedId);
      e.preventDefault();
      return;
    }
    const current = rows.findIndex((r) => r.record.id === selectedId);
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: current === -1 ? 0 : current + 1,
      ArrowUp: current === -1 ? 0 : current - 1,
      Home: 0,
      End: rows.length - 1,
      PageDown: current + page,
      PageUp: current - page,
    };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    if (rows.length === 0) return;
    const index = Math.min(Math.max(target, 0), rows.length - 1);
    onSelect(rows[index]!.record.id);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };

  const selectedShown = selectedId !== null && rows.some((r) => r.record.id === selectedId);
  return (
    <div
      ref={gridRef}
      role="grid"
      aria-label="Cross-origin requests"
      aria-rowcount={rows.length + 1}
      aria-activedescendant={selectedShown ? rowDomId(selectedId) : undefined}
      tabIndex={0}
      class={compact ? 'list compact' : 'list'}
      data-testid="request-list"
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" class="list-head">
        <div role="row" aria-rowindex={1} class="row">
          {COLUMNS.map((name, i) => (
            <span key={i} role="columnheader" class={`cell c${i}`} aria-label={name || 'Status'}>
              {name}
            </span>
          ))}
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" class="list-body" data-testid="request-list-body">
        {rows.length === 0 ? (
          <p class="empty" data-testid="list-empty">
            {emptyText}
          </p>
        ) : (
          <div class="list-spacer" style={{ height: `${virtualizer.getTotalSize()}px` }}>
            {virtualizer.getVirtualItems().map((item, _slot, items) => {
              const row = rows[item.index]!;
              const { record, judgement } = row;
              const first = record.exchange.hops[0];
              const { host, path } = urlParts(first?.url ?? '');
              const look = VERDICT_LOOK[judgement.verdict];
              const selected = record.id === selectedId;
              return (
                <div
                  // Keyed by slot, not by request: the row scrolled in takes the DOM node of the one scrolled out
                  // (n consecutive indexes are distinct modulo n), so a fast scroll patches text instead of
                  // building and dropping dozens of rows per frame (bench/panel-scale.ts: long tasks of 50-150 ms).
                  key={item.index % items.length}
                  id={rowDomId(record.id)}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={selected}
                  // Stripes by index, not :nth-child: virtual rows are reused in any DOM order.
                  class={`row v-${judgement.verdict}${item.index % 2 ? ' odd' : ''}${selected ? ' selected' : ''}`}
                  style={{ transform: `translateY(${item.start}px)` }}
                  data-testid="request-row"
                  data-verdict={judgement.verdict}
                  onClick={() => {
                    onSelect(record.id);
                    onOpen(record.id);
                  }}
                >
                  <span role="gridcell" class="cell c0 status-icon" aria-label={look.label}>
                    <span aria-hidden="true">{look.icon}</span>
                  </span>
                  <span role="gridcell" class="cell c1">
                    {visible(first?.method ?? '')}
                  </span>
                  <span role="gridcell" class="cell c2" title={first?.url}>
                    {row.severity !== null && (
                      <span
                        class={`finding-marker ${row.severity}`}
                        data-testid="row-finding"
                        data-severity={row.severity}
                        role="img"
                        aria-label={`${plural(row.findings.length, 'security finding')}, worst: ${row.severity}`}
                        title={row.findings.map((f) => `${f.severity}: ${f.title}`).join('\n')}
                      >
                        ⚠
                      </span>
                    )}
                    <span class="host">{visible(host)}</span>
                    {visible(path)}
                  </span>
                  <span role="gridcell" class="cell c3">
                    {record.exchange.type}
                  </span>
                  <span role="gridcell" class="cell c4">
                    {look.label}
                    {dependsOnCredentials(judgement) && (
                      <span
                        class="creds-marker"
                        data-testid="row-credentials-dependent"
                        role="img"
                        aria-label={credentialsCaveat(record.exchange.browser)}
                        title={credentialsCaveat(record.exchange.browser)}
                      >
                        ?
                      </span>
                    )}
                    {preflightFromCache(judgement) && (
                      <span
                        class="cache-marker"
                        data-testid="row-preflight-cached"
                        role="img"
                        aria-label="Preflight served from the preflight cache (inferred)"
                        title="Preflight served from the preflight cache (inferred: no OPTIONS was seen, yet the request went out)"
                      >
                        {' '}↺
                      </span>
                    )}
                  </span>
                  <span role="gridcell" class="cell c5" data-testid="row-reason">
                    {visible(reason(row))}
                  </span>
                  <span role="gridcell" class="cell c6">
                    {clockTime(record.startedAt)}
                  </span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
