/**
 * A box that scrolls sideways, marked with what it hides: `data-more-left` / `data-more-right`
 * while columns lie beyond that edge, which styles.css draws as a shadow on that edge and a hint
 * in its card's title (a webview's scrollbar shows only on hover, so nothing else pointed to
 * them). A tab stop only while it scrolls, so the keyboard can scroll it with the arrow keys and
 * a box that fits adds no stop. For lit's ref(): a stable function, installed once per box.
 */
const watched = new WeakSet<Element>();

export function watchSideScroll(element: Element | undefined): void {
  if (!(element instanceof HTMLElement) || watched.has(element)) return;
  watched.add(element);
  const update = (): void => {
    const hidden = element.scrollWidth - element.clientWidth;
    element.toggleAttribute('data-more-left', hidden > 1 && element.scrollLeft > 1);
    element.toggleAttribute('data-more-right', hidden > 1 && element.scrollLeft < hidden - 1);
    if (hidden > 1) element.tabIndex = 0;
    else element.removeAttribute('tabindex');
  };
  element.addEventListener('scroll', update, { passive: true });
  // The box (panel width) and what it holds (the numbers of each stats event) change its overflow.
  const observer = new ResizeObserver(update);
  observer.observe(element);
  for (const child of element.children) observer.observe(child);
}
