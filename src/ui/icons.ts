// Line icons, 24×24, drawn with `currentColor` (stroke, width and caps are set in CSS).
// Always decorative: every button that shows one has its own accessible name.
import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';

export const icon = (body: SVGTemplateResult): TemplateResult => html`<svg viewBox="0 0 24 24" aria-hidden="true">${body}</svg>`;
const slash = svg`<path d="m3 3 18 18"/>`;
const micBody = svg`<rect x="9" y="2.5" width="6" height="11.5" rx="3"/><path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21"/>`;
const camBody = svg`<rect x="2.5" y="6" width="13.5" height="12" rx="2.5"/><path d="m16 10.5 5.5-3.5v10L16 13.5"/>`;

export const icons = {
  mic: icon(micBody),
  micOff: icon(svg`${micBody}${slash}`),
  camera: icon(camBody),
  cameraOff: icon(svg`${camBody}${slash}`),
  screen: icon(svg`<rect x="2.5" y="4" width="19" height="13" rx="2"/><path d="M8 21h8m-4-4v4m0-7.5V8m-3 3 3-3 3 3"/>`),
  chat: icon(svg`<path d="M4.5 5h15a1.5 1.5 0 0 1 1.5 1.5v9a1.5 1.5 0 0 1-1.5 1.5H10l-5.5 4v-4a1.5 1.5 0 0 1-1.5-1.5v-9A1.5 1.5 0 0 1 4.5 5Z"/>`),
  devices: icon(svg`<path d="M4 7h9m4 0h3M4 17h3m4 0h9"/><circle cx="15" cy="7" r="2"/><circle cx="9" cy="17" r="2"/>`),
  leave: icon(svg`<path d="M3.5 13.6c4.7-4.1 12.3-4.1 17 0 .6.5.6 1.4.1 2l-1.5 1.6c-.5.5-1.2.6-1.8.2l-2.1-1.4a1.5 1.5 0 0 1-.6-1.4l.2-1.7a12 12 0 0 0-5.6 0l.2 1.7c.1.6-.2 1.1-.6 1.4l-2.1 1.4c-.6.4-1.3.3-1.8-.2l-1.5-1.6c-.5-.6-.5-1.5.1-2Z"/>`),
  close: icon(svg`<path d="M6 6l12 12M18 6 6 18"/>`),
  send: icon(svg`<path d="M4 12 20 4.5 15.5 20l-3.5-6.5L4 12Zm8 1.5 8-9"/>`),
  sound: icon(svg`<path d="M4 9.5v5h3.5L12 18.5v-13L7.5 9.5H4Zm11.5-.5a4.5 4.5 0 0 1 0 6m2.5-8.5a8 8 0 0 1 0 11"/>`),
  pip: icon(svg`<rect x="2.5" y="4" width="19" height="16" rx="2"/><rect x="12" y="12" width="7" height="5.5" rx="1"/>`),
  fullscreen: icon(svg`<path d="M4 9V4h5m6 0h5v5m0 6v5h-5m-6 0H4v-5"/>`),
  alert: icon(svg`<circle cx="12" cy="12" r="9.5"/><path d="M12 7.5V13m0 3.5h.01"/>`),
};
