// jsdom has no layout: give the request list's scroller a viewport, a content height and scrollTo() so the
// virtual list renders and scrolls rows, and unmount what each test rendered (vitest runs without globals, so
// Testing Library cannot register this itself).
import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';

/** 20 rows of 21 px. */
export const VIEWPORT_HEIGHT = 420;

const isListBody = (el: HTMLElement): boolean => el.dataset.testid === 'request-list-body';

Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return isListBody(this) ? VIEWPORT_HEIGHT : 0;
  },
});

Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
  configurable: true,
  get(this: HTMLElement) {
    // The virtual list sizes its spacer (the scroller's only child) to the full height of all rows.
    const spacer = this.firstElementChild;
    return isListBody(this) && spacer instanceof HTMLElement ? Number.parseFloat(spacer.style.height) || 0 : 0;
  },
});

HTMLElement.prototype.scrollTo = function scrollTo(this: HTMLElement, options?: ScrollToOptions | number) {
  if (typeof options === 'object' && options.top !== undefined) this.scrollTop = options.top;
  this.dispatchEvent(new Event('scroll'));
} as HTMLElement['scrollTo'];

afterEach(cleanup);
