import type { WebviewToHost } from '../src/shared/protocol';

/** The slice of the webview API the panel uses; `acquireVsCodeApi` may be called only once. */
export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export function vscodeApi(): VsCodeApi {
  return acquireVsCodeApi();
}
