// How long we have been in the call, as the locale writes a duration ("1:02:03", in its
// own digits and separators): Intl.DurationFormat where the browser has it, else the
// locale's digits around colons. One timer ticks on each whole second of the call.

/** `ms` of call as h:mm:ss (m:ss under an hour) for `locale`. */
export function formatElapsed(ms: number, locale?: string): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor(total / 60) % 60;
  const seconds = total % 60;
  const Duration = (Intl as unknown as { DurationFormat?: new (l?: string, o?: object) => { format(d: object): string } }).DurationFormat;
  if (Duration) {
    try {
      return new Duration(locale, { style: 'digital', hoursDisplay: 'auto' }).format({ hours, minutes, seconds });
    } catch {
      /* an unknown locale tag: the fallback below copes */
    }
  }
  let digits: Intl.NumberFormat;
  try {
    digits = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false });
  } catch {
    digits = new Intl.NumberFormat(undefined, { minimumIntegerDigits: 2, useGrouping: false });
  }
  const first = new Intl.NumberFormat(digits.resolvedOptions().locale, { useGrouping: false });
  return hours ? `${first.format(hours)}:${digits.format(minutes)}:${digits.format(seconds)}` : `${first.format(minutes)}:${digits.format(seconds)}`;
}

/** Elapsed call time; `onTick` on every whole second from `start()` until `stop()`. */
export class CallTimer {
  startedAt: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly onTick: () => void) {}

  start(at = Date.now()): void {
    this.stop();
    this.startedAt = at;
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.startedAt = null;
  }

  elapsed(now = Date.now()): number {
    return this.startedAt === null ? 0 : Math.max(0, now - this.startedAt);
  }

  private schedule(): void {
    // to the next whole second of the call, so the display never skips or repeats one
    const wait = 1000 - (this.elapsed() % 1000);
    this.timer = setTimeout(() => {
      this.onTick();
      this.schedule();
    }, wait);
  }
}
