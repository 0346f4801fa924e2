import { LitElement } from 'lit';

/**
 * A lit element that renders into the light DOM (so the panel's stylesheet, which the CSP
 * admits, styles it) and follows the size CSS gives it.
 */
export abstract class SizedElement extends LitElement {
  private observer: ResizeObserver | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new ResizeObserver(([entry]) => entry && this.resized(entry.contentRect));
    this.observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
  }

  /** The element's content box changed. */
  protected abstract resized(box: DOMRectReadOnly): void;
}
