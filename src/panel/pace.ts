// Lets the panel paint between the messages of a burst: a big tab's snapshot arrives as ~20 messages at once, and
// applying them back to back kept its first rows off the screen until all 10,000 were derived (bench/panel-scale.ts).

/** Runs `next` once the frame after now has painted; a hidden panel paints nothing, so it just yields. */
function afterPaint(next: () => void): void {
  if (typeof requestAnimationFrame !== 'function' || document.visibilityState === 'hidden') {
    setTimeout(next);
    return;
  }
  requestAnimationFrame(() => setTimeout(next));
}

/**
 * Returns a function that hands each message to `apply` in arrival order: at once when nothing is waiting, otherwise
 * one per painted frame. Live upserts (one batch per 75 ms) are applied as they come.
 */
export function pacer<M>(apply: (message: M) => void): (message: M) => void {
  const waiting: M[] = [];
  let holding = false;
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) {
      holding = false;
      return;
    }
    apply(next);
    afterPaint(release);
  };
  return (message) => {
    if (holding) {
      waiting.push(message);
      return;
    }
    holding = true;
    apply(message);
    afterPaint(release);
  };
}
