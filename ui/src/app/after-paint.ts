/**
 * Resolves once the browser has painted what is on the page now (at once in a hidden tab, which paints
 * nothing): for work that should not hold up what is already there, such as the dashboard's chart and cards
 * behind its numbers.
 */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (document.hidden) setTimeout(resolve);
    else requestAnimationFrame(() => setTimeout(resolve));
  });
}
