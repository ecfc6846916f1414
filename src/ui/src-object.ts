// `<video ${srcObject(stream)}>`: sets a media element's srcObject only when the stream
// changes, and lets go of it when the video leaves the page.
//
// Why not `.srcObject=${stream}`: Lit re-sets object values on every render, and each set
// re-runs the media element's load algorithm (a blink, decoder work). And a <video> that
// still holds a stream counts as a pending activity in Blink, which keeps it — with its
// listeners, and through them the whole element — alive after it is removed.
import { noChange, nothing, type ElementPart } from 'lit';
import { AsyncDirective, directive, PartType, type PartInfo } from 'lit/async-directive.js';

class SrcObjectDirective extends AsyncDirective {
  private media: HTMLMediaElement | null = null;
  private stream: MediaStream | null = null;
  private detached = false;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('srcObject() goes on a media element: <video ${srcObject(stream)}>');
  }

  render(_stream: MediaStream | null) {
    return nothing;
  }

  override update(part: ElementPart, [stream]: [MediaStream | null]) {
    this.media = part.element as HTMLMediaElement;
    this.stream = stream;
    // a render while the element is off the page (its call being torn down) holds nothing
    const wanted = this.isConnected ? stream : null;
    if (this.media.srcObject !== wanted) this.media.srcObject = wanted;
    return noChange;
  }

  protected override disconnected(): void {
    // a re-parent disconnects and reconnects in one task: only a real removal lets go
    this.detached = true;
    queueMicrotask(() => {
      if (this.detached && this.media) this.media.srcObject = null;
    });
  }

  protected override reconnected(): void {
    this.detached = false;
    if (this.media && this.media.srcObject !== this.stream) this.media.srcObject = this.stream;
  }
}

export const srcObject = directive(SrcObjectDirective);
